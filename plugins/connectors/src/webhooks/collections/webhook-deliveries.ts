/**
 * `webhook-deliveries`: one row per event per endpoint — what was sent (never a secret), how often,
 * and what the receiver answered. Written only by the webhook machinery; tenants read it.
 */
import type { CollectionConfig } from 'payload'
import { DELIVERY_STATUS, WEBHOOK_DELIVERIES_SLUG, WEBHOOK_ENDPOINTS_SLUG } from '../constants.ts'
import type { ResolvedWebhooksConfig } from '../types.ts'

export function webhookDeliveriesCollection(config: ResolvedWebhooksConfig): CollectionConfig {
  return {
    slug: WEBHOOK_DELIVERIES_SLUG,
    labels: { singular: 'Webhook delivery', plural: 'Webhook deliveries' },
    admin: {
      useAsTitle: 'eventType',
      defaultColumns: ['eventType', 'endpoint', 'status', 'attempts', 'responseStatus', 'createdAt'],
      group: 'Settings',
    },
    access: { read: config.access.read, create: () => false, update: () => false, delete: () => false },
    fields: [
      {
        name: 'endpoint',
        type: 'relationship',
        relationTo: WEBHOOK_ENDPOINTS_SLUG as never,
        // Empty once its endpoint is deleted: the log of what was sent outlives the endpoint.
        index: true,
      },
      { name: 'eventType', type: 'text', required: true, index: true },
      {
        name: 'eventId',
        type: 'text',
        required: true,
        index: true,
        admin: { description: 'Sent as `webhook-id` on every attempt, so receivers can de-duplicate.' },
      },
      { name: 'payload', type: 'json', required: true },
      { name: 'attempts', type: 'number', defaultValue: 0 },
      {
        name: 'status',
        type: 'select',
        required: true,
        defaultValue: DELIVERY_STATUS.pending,
        index: true,
        options: Object.values(DELIVERY_STATUS).map((value) => ({ value, label: value })),
      },
      { name: 'responseStatus', type: 'number' },
      { name: 'responseBody', type: 'text', admin: { description: 'The first 1 KB of the last response.' } },
      { name: 'error', type: 'text', admin: { description: 'Why the last attempt failed, when no response came.' } },
      { name: 'durationMs', type: 'number' },
      { name: 'nextAttemptAt', type: 'date' },
      { name: 'deliveredAt', type: 'date' },
    ],
  }
}
