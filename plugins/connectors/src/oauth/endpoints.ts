/**
 * The OAuth flow's endpoints under `/api/connectors`: start a flow (`POST /:connector/authorize`),
 * finish it (`POST /oauth/complete`, called by the portal's callback route with the user's token), and
 * a tenant's own OAuth app (`PUT` / `DELETE /:connector/app`). zod-checked; tenant-admins of the tenant
 * (super-admins anywhere); refusals are JSON `{ error }` with a 4xx a person can act on.
 */
import { vaultConfigOf } from '@bizosaas/plugin-vault'
import { seal } from '@bizosaas/plugin-vault/crypto'
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { handle, parse, readJson, requireManager, requireUser, tenantIdSchema } from '../endpoints/http.ts'
import { appSecretContext } from './apps-collection.ts'
import { CONNECTOR_APPS_SLUG } from './constants.ts'
import { completeOAuthFlow, OAuthFlowError, oauthConnector, startOAuthFlow } from './flow.ts'

const connectorParam = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'The connector id in the URL is not valid')

const authorizeBody = z.object({
  tenant: tenantIdSchema,
  connection: z
    .union([z.number().int().positive(), z.string().regex(/^[1-9]\d{0,14}$/)], {
      error: 'must be a connection id (a positive whole number)',
    })
    .transform(Number)
    .optional()
    .describe('The connection to reconnect (updated in place)'),
})
const completeBody = z.object({
  state: z.string().min(16, 'missing or too short').max(200, 'too long'),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  errorDescription: z.string().max(2000).optional(),
  redirectUri: z.url('the callback address the provider sent the browser back to'),
  tenant: tenantIdSchema.optional(),
})
const appBody = z.object({
  tenant: tenantIdSchema,
  clientId: z.string().trim().min(1, 'paste the OAuth app’s client id').max(500, 'at most 500 characters'),
  clientSecret: z
    .string()
    .trim()
    .min(8, 'paste the OAuth app’s client secret (at least 8 characters)')
    .max(4096, 'at most 4096 characters')
    .refine((s) => !/\s/.test(s), 'no spaces or line breaks'),
})

const userId = (req: PayloadRequest) => Number((req.user as { id: number | string }).id)
const connectorOfRequest = (req: PayloadRequest) =>
  oauthConnector(req.payload, parse(connectorParam, req.routeParams?.connector))

export const authorizeEndpoint: Endpoint = {
  path: '/connectors/:connector/authorize',
  method: 'post',
  handler: handle(async (req) => {
    requireUser(req)
    const body = parse(authorizeBody, await readJson(req))
    await requireManager(req, body.tenant)
    const connector = connectorOfRequest(req)
    const started = await startOAuthFlow(req.payload, {
      tenant: body.tenant,
      connector: connector.id,
      connection: body.connection,
      user: userId(req),
      req,
    })
    return Response.json(started)
  }),
}

export const completeEndpoint: Endpoint = {
  path: '/connectors/oauth/complete',
  method: 'post',
  handler: handle(async (req) => {
    requireUser(req)
    const body = parse(completeBody, await readJson(req))
    return Response.json(await completeOAuthFlow(req.payload, { ...body, user: userId(req), req }))
  }),
}

export const putAppEndpoint: Endpoint = {
  path: '/connectors/:connector/app',
  method: 'put',
  handler: handle(async (req) => {
    requireUser(req)
    const body = parse(appBody, await readJson(req))
    await requireManager(req, body.tenant)
    const connector = connectorOfRequest(req)
    if (connector.auth.app === 'platform')
      throw new OAuthFlowError(400, `${connector.name} connects only with the platform’s app.`)
    const sealed = seal(
      vaultConfigOf(req.payload).keyring(),
      body.clientSecret,
      appSecretContext(body.tenant, connector.id),
    )
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
        })
      : await req.payload.create({
          collection: CONNECTOR_APPS_SLUG as never,
          data: data as never,
          overrideAccess: true,
        })
    const doc = saved as unknown as { id: number; clientId: string; secretHint: string }
    return Response.json(
      { id: doc.id, connector: connector.id, clientId: doc.clientId, secretHint: doc.secretHint },
      { status: id ? 200 : 201 },
    )
  }),
}

export const deleteAppEndpoint: Endpoint = {
  path: '/connectors/:connector/app',
  method: 'delete',
  handler: handle(async (req) => {
    requireUser(req)
    const tenant = parse(tenantIdSchema, req.searchParams?.get('tenant') ?? undefined)
    await requireManager(req, tenant)
    const connector = connectorOfRequest(req)
    const { docs } = await req.payload.delete({
      collection: CONNECTOR_APPS_SLUG as never,
      where: { and: [{ tenant: { equals: tenant } }, { connector: { equals: connector.id } }] },
      overrideAccess: true,
    })
    if (!docs.length) throw new OAuthFlowError(404, `No own ${connector.name} app in this tenant.`)
    return Response.json({ deleted: docs.length })
  }),
}

export const oauthEndpoints: Endpoint[] = [authorizeEndpoint, completeEndpoint, putAppEndpoint, deleteAppEndpoint]
