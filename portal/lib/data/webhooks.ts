/**
 * The tenant's outgoing webhooks: endpoints (never their secret, except the once it is made or
 * rotated), the delivery log, and the actions on them — all through the CMS, which checks the role.
 */
import { cmsErrorMessage, cmsFetch, whereQuery } from '@lib/data/cms'

import type { WebhookEvent } from '@lib/webhook-events'

export { WEBHOOK_EVENTS, type WebhookEvent } from '@lib/webhook-events'

export interface WebhookEndpoint {
  id: number
  url: string
  description?: string | null
  events: WebhookEvent[]
  enabled: boolean
  failureCount?: number | null
  disabledAt?: string | null
  disabledReason?: string | null
  createdAt: string
}

export interface WebhookDelivery {
  id: number
  endpoint: number | null
  eventType: string
  eventId: string
  status: 'pending' | 'retrying' | 'succeeded' | 'failed'
  attempts: number
  responseStatus?: number | null
  responseBody?: string | null
  error?: string | null
  durationMs?: number | null
  nextAttemptAt?: string | null
  createdAt: string
  updatedAt: string
}

type Result<T = object> = ({ ok: true } & T) | { ok: false; error: string }

export async function listWebhookEndpoints(token: string, tenant: string): Promise<WebhookEndpoint[]> {
  const res = await cmsFetch<{ docs: WebhookEndpoint[] }>(
    `/webhook-endpoints?${whereQuery({ tenant: { equals: tenant } })}&depth=0&limit=100&sort=createdAt`,
    { token },
  )
  return res.ok ? res.body.docs : []
}

/** The latest deliveries of the tenant (all endpoints), newest first. */
export async function listWebhookDeliveries(token: string, tenant: string, limit = 50): Promise<WebhookDelivery[]> {
  const res = await cmsFetch<{ docs: WebhookDelivery[] }>(
    `/webhook-deliveries?${whereQuery({ tenant: { equals: tenant } })}&depth=0&limit=${limit}&sort=-createdAt`,
    { token },
  )
  return res.ok ? res.body.docs : []
}

/** Creates an endpoint; the answer carries its signing secret, which is never shown again. */
export async function createWebhookEndpoint(
  token: string,
  tenant: string,
  data: { url: string; description?: string; events: WebhookEvent[] },
): Promise<Result<{ id: number; secret: string }>> {
  const res = await cmsFetch<{ doc: { id: number; secret: string } }>('/webhook-endpoints', {
    token,
    method: 'POST',
    body: { ...data, tenant: Number(tenant) },
  })
  return res.ok
    ? { ok: true, id: res.body.doc.id, secret: res.body.doc.secret }
    : { ok: false, error: cmsErrorMessage(res.body) }
}

export async function setWebhookEnabled(token: string, id: string, enabled: boolean): Promise<Result> {
  const res = await cmsFetch(`/webhook-endpoints/${id}`, { token, method: 'PATCH', body: { enabled } })
  return res.ok ? { ok: true } : { ok: false, error: cmsErrorMessage(res.body) }
}

export async function deleteWebhookEndpoint(token: string, id: string): Promise<Result> {
  const res = await cmsFetch(`/webhook-endpoints/${id}`, { token, method: 'DELETE' })
  return res.ok ? { ok: true } : { ok: false, error: cmsErrorMessage(res.body) }
}

export async function sendWebhookTest(token: string, id: string): Promise<Result<{ delivery: number }>> {
  const res = await cmsFetch<{ delivery: number }>(`/connectors/webhooks/${id}/test`, {
    token,
    method: 'POST',
    body: {},
  })
  return res.ok ? { ok: true, delivery: res.body.delivery } : { ok: false, error: cmsErrorMessage(res.body) }
}

export async function rotateWebhookSecret(token: string, id: string): Promise<Result<{ secret: string }>> {
  const res = await cmsFetch<{ secret: string }>(`/connectors/webhooks/${id}/rotate-secret`, {
    token,
    method: 'POST',
    body: {},
  })
  return res.ok ? { ok: true, secret: res.body.secret } : { ok: false, error: cmsErrorMessage(res.body) }
}

export async function redeliverWebhook(token: string, deliveryId: string): Promise<Result> {
  const res = await cmsFetch(`/connectors/webhooks/deliveries/${deliveryId}/redeliver`, {
    token,
    method: 'POST',
    body: {},
  })
  return res.ok ? { ok: true } : { ok: false, error: cmsErrorMessage(res.body) }
}
