/** Names and fixed values of outgoing webhooks: slugs, the queue, event types, delivery statuses. */

export const WEBHOOK_ENDPOINTS_SLUG = 'webhook-endpoints'
export const WEBHOOK_DELIVERIES_SLUG = 'webhook-deliveries'
export const WEBHOOK_COLLECTIONS = Object.freeze([WEBHOOK_ENDPOINTS_SLUG, WEBHOOK_DELIVERIES_SLUG] as const)

/** The pg-boss queue that POSTs one delivery per job (singleton key = delivery id). */
export const DELIVER_WEBHOOK_QUEUE = 'connectors.deliver-webhook'

/** Where the resolved webhook options live on `payload.config.custom`. */
export const WEBHOOKS_CONFIG_KEY = 'bizosaas-connectors:webhooks'

/** Marks writes made by the webhook machinery itself (secret sealing, delivery bookkeeping). */
export const INTERNAL_WRITE = 'bizosaas-connectors:webhooks-internal'

/** Events a tenant may subscribe an endpoint to. `webhook.test` is sent by the test button only. */
export const WEBHOOK_EVENT_TYPES = Object.freeze([
  'run.finished',
  'approval.waiting',
  'post.published',
  'order.placed',
] as const)
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number] | 'webhook.test'

export const DELIVERY_STATUS = Object.freeze({
  pending: 'pending',
  retrying: 'retrying',
  succeeded: 'succeeded',
  failed: 'failed',
} as const)
export type DeliveryStatus = (typeof DELIVERY_STATUS)[keyof typeof DELIVERY_STATUS]

/** The longest response-body excerpt kept on a delivery row. */
export const RESPONSE_EXCERPT_BYTES = 1024
