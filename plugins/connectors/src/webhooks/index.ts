/**
 * Outgoing webhooks: tenants register URLs for events (run finished, approval waiting, post published,
 * order placed); each event becomes one delivery row per endpoint and one pg-boss job that POSTs it,
 * signed by the Standard Webhooks scheme, retried with backoff, logged. `webhooksCollections` and
 * `webhookEndpoints` are what `connectorsPlugin` adds; until it lands on main, `webhooksPlugin` adds them.
 */
import { registerSealedCollection } from '@bizosaas/plugin-vault'
import type { CollectionConfig, Config, Payload } from 'payload'
import { webhookDeliveriesCollection } from './collections/webhook-deliveries.ts'
import { webhookEndpointsCollection } from './collections/webhook-endpoints.ts'
import { resolveWebhooksConfig } from './config.ts'
import { WEBHOOK_ENDPOINTS_SLUG, WEBHOOKS_CONFIG_KEY } from './constants.ts'
import { emitWebhookEvent } from './emit.ts'
import { webhookEndpoints } from './endpoints.ts'
import { emitPostPublished } from './publish.ts'
import { secretContext } from './secrets.ts'
import type { ResolvedWebhooksConfig, WebhooksConfig } from './types.ts'
import { startWebhookWorker } from './worker.ts'

/** Both collections, always (the schema never depends on `enabled`). */
export function webhooksCollections(config: ResolvedWebhooksConfig): CollectionConfig[] {
  return [webhookEndpointsCollection(config), webhookDeliveriesCollection(config)]
}

/**
 * Adds webhooks to a Payload config: collections, the options on `custom`, and — when enabled — the
 * endpoints, the `post.published` hook and (with `worker.inProcess`) the delivery worker.
 */
export function webhooksPlugin(options: WebhooksConfig) {
  const resolved = resolveWebhooksConfig(options)
  return (incoming: Config): Config => {
    const config: Config = {
      ...incoming,
      collections: [...(incoming.collections ?? []), ...webhooksCollections(resolved)],
      custom: { ...incoming.custom, [WEBHOOKS_CONFIG_KEY]: resolved },
    }
    // Key rotation (`pnpm vault:rotate`) re-seals the endpoints' signing secrets too.
    registerSealedCollection(config, {
      slug: WEBHOOK_ENDPOINTS_SLUG,
      context: (row) => secretContext(row.tenant as number),
    })
    if (!resolved.enabled) return config
    config.endpoints = [...(incoming.endpoints ?? []), ...webhookEndpoints]
    const publishing = new Set(resolved.publishCollections)
    config.collections = config.collections!.map((collection) =>
      publishing.has(collection.slug)
        ? {
            ...collection,
            hooks: { ...collection.hooks, afterChange: [...(collection.hooks?.afterChange ?? []), emitPostPublished] },
          }
        : collection,
    )
    if (resolved.worker.inProcess) {
      const previous = config.onInit
      config.onInit = async (payload) => {
        await previous?.(payload)
        const worker = await startWebhookWorker(payload)
        payload.logger.info('webhooks: delivery worker running in this process')
        const stop = () => void worker.stop({ graceMs: 5_000 })
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      }
    }
    return config
  }
}

/**
 * Agent events (`run.finished`, `approval.waiting`) as webhook events: the host passes this as
 * `agentsPlugin({ onEvent })`, so plugin-agents does not depend on connectors. Emitting the same event
 * id twice sends once per endpoint.
 */
export async function webhookAgentEvents(
  payload: Payload,
  event: { type: 'run.finished' | 'approval.waiting'; id: string; tenant: number | string; data: object },
): Promise<void> {
  if (!payload.config.custom?.[WEBHOOKS_CONFIG_KEY]) return
  await emitWebhookEvent(payload, {
    tenant: event.tenant,
    type: event.type,
    id: event.id,
    data: event.data as Record<string, unknown>,
  })
}

export { resolveWebhooksConfig, webhooksConfigOf } from './config.ts'
export {
  DELIVER_WEBHOOK_QUEUE,
  DELIVERY_STATUS,
  type DeliveryStatus,
  WEBHOOK_COLLECTIONS,
  WEBHOOK_DELIVERIES_SLUG,
  WEBHOOK_ENDPOINTS_SLUG,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from './constants.ts'
export { type AttemptInfo, deliverWebhook, postWebhook } from './deliver.ts'
export { emitWebhookEvent, type WebhookEventBody, type WebhookEventInput } from './emit.ts'
export { redeliverEndpoint, rotateSecretEndpoint, testWebhookEndpoint, webhookEndpoints } from './endpoints.ts'
export { enqueueDeliveries, queueOptions, stopWebhookBoss, webhookBossOf } from './queue.ts'
export { newSigningSecret, signatureHeaders } from './signing.ts'
export type { ResolvedWebhooksConfig, WebhooksAccess, WebhooksConfig } from './types.ts'
export { checkWebhookUrl, isNonPublicAddress, WebhookUrlError } from './url-guard.ts'
export { startWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from './worker.ts'
