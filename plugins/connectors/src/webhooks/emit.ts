/**
 * `emitWebhookEvent`: one delivery row per enabled endpoint of the tenant subscribed to the event, and
 * one queued job per row — in the caller's transaction when given `req`. The event id is fixed here and
 * sent as `webhook-id` on every attempt (and redelivery), so receivers de-duplicate by it.
 */
import { randomUUID } from 'node:crypto'
import type { Payload, PayloadRequest, Where } from 'payload'
import { INTERNAL_WRITE, WEBHOOK_DELIVERIES_SLUG, WEBHOOK_ENDPOINTS_SLUG, type WebhookEventType } from './constants.ts'
import { enqueueDeliveries } from './queue.ts'

type Id = number | string

export interface WebhookEventInput {
  tenant: Id
  type: WebhookEventType
  /** What receivers get under `data`; never put secrets here. */
  data: Record<string, unknown>
  /** A stable id makes emitting twice (a retried job) send once per endpoint. @default evt_<uuid> */
  id?: string
  /** The caller's request: rows and jobs join its transaction. */
  req?: PayloadRequest
  /** Only this endpoint (the test button); then `type` need not be subscribed. */
  endpoint?: Id
}

/** The JSON body every receiver gets. */
export interface WebhookEventBody {
  id: string
  type: WebhookEventType
  timestamp: string
  tenant: Id
  data: Record<string, unknown>
}

/** Records and enqueues the event for every matching endpoint; returns the delivery ids. */
export async function emitWebhookEvent(payload: Payload, input: WebhookEventInput): Promise<Id[]> {
  const id = input.id ?? `evt_${randomUUID()}`
  const where: Where = input.endpoint
    ? { and: [{ id: { equals: input.endpoint } }, { tenant: { equals: input.tenant } }] }
    : {
        and: [
          { tenant: { equals: input.tenant } },
          { enabled: { equals: true } },
          { events: { contains: input.type } },
        ],
      }
  const local = { overrideAccess: true, depth: 0, req: input.req, context: { [INTERNAL_WRITE]: true } } as const
  const endpoints = await payload.find({
    collection: WEBHOOK_ENDPOINTS_SLUG as never,
    where,
    limit: 1000,
    pagination: false,
    ...local,
  })
  if (!endpoints.docs.length) return []
  const body: WebhookEventBody = {
    id,
    type: input.type,
    timestamp: new Date().toISOString(),
    tenant: input.tenant,
    data: input.data,
  }
  const created: Id[] = []
  for (const endpoint of endpoints.docs as unknown as { id: Id }[]) {
    if (input.id) {
      const seen = await payload.count({
        collection: WEBHOOK_DELIVERIES_SLUG as never,
        where: { and: [{ endpoint: { equals: endpoint.id } }, { eventId: { equals: id } }] },
        ...local,
      })
      if (seen.totalDocs) continue
    }
    const row = (await payload.create({
      collection: WEBHOOK_DELIVERIES_SLUG as never,
      data: {
        tenant: input.tenant,
        endpoint: endpoint.id,
        eventType: input.type,
        eventId: id,
        payload: body,
        attempts: 0,
        status: 'pending',
      } as never,
      ...local,
    })) as unknown as { id: Id }
    created.push(row.id)
  }
  await enqueueDeliveries(payload, created, input.req)
  return created
}
