/** The events a tenant's webhooks may subscribe to: no server imports, so client components can list them. */
export const WEBHOOK_EVENTS = ['run.finished', 'approval.waiting', 'post.published', 'order.placed'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]
