/**
 * Webhook endpoints beyond REST: `POST /api/connectors/webhooks/:id/test` (a `webhook.test` event now),
 * `POST /api/connectors/webhooks/:id/rotate-secret` (a new secret, shown once) and
 * `POST /api/connectors/webhooks/deliveries/:id/redeliver`. A tenant's rows are "not found" to anyone
 * who cannot read them; reading without the right to manage is 403.
 */
import type { Endpoint, PayloadRequest, Where } from 'payload'
import { z } from 'zod'
import { webhooksConfigOf } from './config.ts'
import { DELIVERY_STATUS, INTERNAL_WRITE, WEBHOOK_DELIVERIES_SLUG, WEBHOOK_ENDPOINTS_SLUG } from './constants.ts'
import { emitWebhookEvent } from './emit.ts'
import { enqueueDeliveries } from './queue.ts'
import { idOf, sealSecret } from './secrets.ts'
import { newSigningSecret } from './signing.ts'

type Id = number | string
const idParam = z.union([z.coerce.number().int().positive(), z.string().regex(/^[0-9a-f-]{1,64}$/i)])
const fail = (status: number, error: string) => Response.json({ error }, { status })
const local = { overrideAccess: true, depth: 0, context: { [INTERNAL_WRITE]: true } } as const

/** True when the `manage` access allows this endpoint (a boolean, or a query it must match). */
async function mayManage(req: PayloadRequest, id: Id): Promise<boolean> {
  const result = await webhooksConfigOf(req.payload).access.manage({ req, id: id as number })
  if (typeof result === 'boolean') return result
  const { totalDocs } = await req.payload.count({
    collection: WEBHOOK_ENDPOINTS_SLUG as never,
    where: { and: [{ id: { equals: id } }, result as Where] },
    overrideAccess: true,
  })
  return totalDocs > 0
}

/** Reads a row with the caller's access; `undefined` (with the response to send) when they may not. */
async function visible<T>(req: PayloadRequest, collection: string, what: string): Promise<T | Response> {
  if (!req.user) return fail(401, 'Sign in first.')
  const id = idParam.safeParse(req.routeParams?.id)
  if (!id.success) return fail(400, `The ${what} id in the URL is not valid`)
  const doc = await req.payload.findByID({
    collection: collection as never,
    id: id.data,
    depth: 0,
    overrideAccess: false,
    user: req.user,
    req,
    disableErrors: true,
  })
  return doc ? (doc as T) : fail(404, `No ${what} ${id.data}`)
}

const NOT_ADMIN = 'Your role in this tenant cannot change webhooks; ask a tenant admin.'

export const testWebhookEndpoint: Endpoint = {
  path: '/connectors/webhooks/:id/test',
  method: 'post',
  handler: async (req) => {
    const endpoint = await visible<{ id: Id; tenant: unknown; enabled?: boolean }>(
      req,
      WEBHOOK_ENDPOINTS_SLUG,
      'webhook endpoint',
    )
    if (endpoint instanceof Response) return endpoint
    if (!(await mayManage(req, endpoint.id))) return fail(403, NOT_ADMIN)
    if (endpoint.enabled === false) return fail(409, 'This endpoint is disabled; enable it to send a test event.')
    const [delivery] = await emitWebhookEvent(req.payload, {
      tenant: idOf(endpoint.tenant)!,
      type: 'webhook.test',
      endpoint: endpoint.id,
      data: { message: 'A test event from BizOSaaS', endpoint: endpoint.id },
    })
    return Response.json({ delivery }, { status: 202 })
  },
}

export const rotateSecretEndpoint: Endpoint = {
  path: '/connectors/webhooks/:id/rotate-secret',
  method: 'post',
  handler: async (req) => {
    const endpoint = await visible<{ id: Id; tenant: unknown }>(req, WEBHOOK_ENDPOINTS_SLUG, 'webhook endpoint')
    if (endpoint instanceof Response) return endpoint
    if (!(await mayManage(req, endpoint.id))) return fail(403, NOT_ADMIN)
    const secret = newSigningSecret()
    const sealed = sealSecret(req.payload, idOf(endpoint.tenant)!, secret)
    await req.payload.update({
      collection: WEBHOOK_ENDPOINTS_SLUG as never,
      id: endpoint.id,
      data: { ciphertext: sealed.ciphertext, keyId: sealed.keyId } as never,
      req,
      ...local,
    })
    // Shown this once; deliveries from now on are signed with it (retries included).
    return Response.json({ id: endpoint.id, secret })
  },
}

export const redeliverEndpoint: Endpoint = {
  path: '/connectors/webhooks/deliveries/:id/redeliver',
  method: 'post',
  handler: async (req) => {
    const delivery = await visible<{ id: Id; endpoint: Id; status: string }>(req, WEBHOOK_DELIVERIES_SLUG, 'delivery')
    if (delivery instanceof Response) return delivery
    if (!(await mayManage(req, idOf(delivery.endpoint)!))) return fail(403, NOT_ADMIN)
    if (delivery.status === DELIVERY_STATUS.pending || delivery.status === DELIVERY_STATUS.retrying)
      return fail(409, 'This delivery is still being attempted; wait for it to succeed or fail.')
    const endpoint = (await req.payload.findByID({
      collection: WEBHOOK_ENDPOINTS_SLUG as never,
      id: idOf(delivery.endpoint)!,
      disableErrors: true,
      ...local,
    })) as { enabled?: boolean } | null
    if (!endpoint) return fail(409, 'The endpoint of this delivery was deleted.')
    if (endpoint.enabled === false) return fail(409, 'This endpoint is disabled; enable it to redeliver.')
    await req.payload.update({
      collection: WEBHOOK_DELIVERIES_SLUG as never,
      id: delivery.id,
      data: { status: DELIVERY_STATUS.pending, nextAttemptAt: null } as never,
      req,
      ...local,
    })
    await enqueueDeliveries(req.payload, [delivery.id], req)
    return Response.json({ delivery: delivery.id, status: DELIVERY_STATUS.pending }, { status: 202 })
  },
}

export const webhookEndpoints: Endpoint[] = [testWebhookEndpoint, rotateSecretEndpoint, redeliverEndpoint]
