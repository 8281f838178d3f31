/**
 * The OAuth flow's endpoints under `/api/connectors`: start a flow (`POST /:connector/authorize`),
 * finish it (`POST /oauth/complete`, called by the portal's callback route with the user's token), and
 * a tenant's own OAuth app (`PUT` / `DELETE /:connector/app`). zod-checked; tenant-admins of the tenant
 * (super-admins anywhere); refusals are JSON `{ error }` with a 4xx a person can act on.
 */
import { seal } from '@bizosaas/plugin-vault/crypto'
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { appSecretContext } from './apps-collection.ts'
import { CONNECTOR_APPS_SLUG } from './constants.ts'
import { completeOAuthFlow, OAuthFlowError, oauthConnector, startOAuthFlow } from './flow.ts'
import { oauthHostOf } from './host.ts'

const tenantId = z
  .union(
    [z.number().int().positive(), z.string().regex(/^[1-9]\d{0,14}$/)],
    'tenant: a tenant id (a positive whole number)',
  )
  .transform(Number)
const connectorParam = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'The connector id in the URL is not valid')

const authorizeBody = z.object({
  tenant: tenantId,
  connection: z
    .union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/)])
    .transform(Number)
    .optional(),
})
const completeBody = z.object({
  state: z.string().min(16, 'state: missing or too short').max(200, 'state: too long'),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  errorDescription: z.string().max(2000).optional(),
  redirectUri: z.url('redirectUri: the callback address the provider sent the browser back to'),
  tenant: tenantId.optional(),
})
const appBody = z.object({
  tenant: tenantId,
  clientId: z
    .string()
    .trim()
    .min(1, 'Client id: paste the OAuth app’s client id')
    .max(500, 'Client id: at most 500 characters'),
  clientSecret: z
    .string()
    .trim()
    .min(8, 'Client secret: paste the OAuth app’s client secret (at least 8 characters)')
    .max(4096, 'Client secret: at most 4096 characters')
    .refine((s) => !/\s/.test(s), 'Client secret: no spaces or line breaks'),
})
const deleteAppQuery = z.object({ tenant: tenantId })

const fail = (status: number, error: string) => Response.json({ error }, { status })

async function readJson(req: PayloadRequest): Promise<unknown> {
  const text = req.text ? await req.text() : ''
  if (!text.trim()) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new OAuthFlowError(400, 'The request body is not valid JSON.')
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new OAuthFlowError(400, parsed.error.issues[0]!.message)
  return parsed.data
}

const handle =
  (fn: (req: PayloadRequest) => Promise<Response>): Endpoint['handler'] =>
  async (req) => {
    if (!req.user) return fail(401, 'Sign in first.')
    try {
      return await fn(req)
    } catch (error) {
      if (error instanceof OAuthFlowError) return fail(error.status, error.message)
      throw error
    }
  }

/** Tenant-admins of `tenant` (and super-admins); others 404 (not a member) or 403. */
async function requireManager(req: PayloadRequest, tenant: number, what: string) {
  const access = await oauthHostOf(req.payload).tenantAccess(req, tenant)
  if (access === 'none') throw new OAuthFlowError(404, `No tenant ${tenant} for this user`)
  if (access === 'read') throw new OAuthFlowError(403, `Only a tenant admin can ${what}.`)
}

const userId = (req: PayloadRequest) => Number(req.user!.id)

export const oauthEndpoints: Endpoint[] = [
  {
    path: '/connectors/:connector/authorize',
    method: 'post',
    handler: handle(async (req) => {
      const connector = parse(connectorParam, req.routeParams?.connector)
      const body = parse(authorizeBody, await readJson(req))
      await requireManager(req, body.tenant, 'connect accounts')
      const started = await startOAuthFlow(req.payload, oauthHostOf(req.payload), {
        tenant: body.tenant,
        connector,
        connection: body.connection,
        user: userId(req),
        req,
      })
      return Response.json(started)
    }),
  },
  {
    path: '/connectors/oauth/complete',
    method: 'post',
    handler: handle(async (req) => {
      const body = parse(completeBody, await readJson(req))
      const done = await completeOAuthFlow(req.payload, oauthHostOf(req.payload), { ...body, user: userId(req), req })
      return Response.json(done)
    }),
  },
  {
    path: '/connectors/:connector/app',
    method: 'put',
    handler: handle(async (req) => {
      const host = oauthHostOf(req.payload)
      const connector = oauthConnector(host, parse(connectorParam, req.routeParams?.connector))
      const body = parse(appBody, await readJson(req))
      await requireManager(req, body.tenant, 'change the OAuth app')
      if (connector.auth.app === 'platform')
        throw new OAuthFlowError(400, `${connector.name} connects only with the platform’s app.`)
      const sealed = seal(host.keyring(), body.clientSecret, appSecretContext(body.tenant, connector.id))
      const data = {
        tenant: body.tenant,
        connector: connector.id,
        clientId: body.clientId,
        ciphertext: sealed.ciphertext,
        keyId: sealed.keyId,
        secretHint: `…${body.clientSecret.slice(-4)}`,
      }
      const existing = await req.payload.find({
        collection: CONNECTOR_APPS_SLUG as never,
        where: { and: [{ tenant: { equals: body.tenant } }, { connector: { equals: connector.id } }] },
        depth: 0,
        limit: 1,
        overrideAccess: true,
      })
      const id = (existing.docs[0] as { id?: number } | undefined)?.id
      const saved = id
        ? await req.payload.update({
            collection: CONNECTOR_APPS_SLUG as never,
            id,
            data: data as never,
            overrideAccess: true,
            req,
          })
        : await req.payload.create({
            collection: CONNECTOR_APPS_SLUG as never,
            data: data as never,
            overrideAccess: true,
            req,
          })
      const doc = saved as unknown as { id: number; clientId: string; secretHint: string }
      return Response.json(
        { id: doc.id, connector: connector.id, clientId: doc.clientId, secretHint: doc.secretHint },
        { status: id ? 200 : 201 },
      )
    }),
  },
  {
    path: '/connectors/:connector/app',
    method: 'delete',
    handler: handle(async (req) => {
      const host = oauthHostOf(req.payload)
      const connector = oauthConnector(host, parse(connectorParam, req.routeParams?.connector))
      const { tenant } = parse(deleteAppQuery, { tenant: req.searchParams?.get('tenant') ?? undefined })
      await requireManager(req, tenant, 'remove the OAuth app')
      const { docs } = await req.payload.delete({
        collection: CONNECTOR_APPS_SLUG as never,
        where: { and: [{ tenant: { equals: tenant } }, { connector: { equals: connector.id } }] },
        overrideAccess: true,
        req,
      })
      if (!docs.length) throw new OAuthFlowError(404, `No own ${connector.name} app in this tenant.`)
      return Response.json({ deleted: docs.length })
    }),
  },
]
