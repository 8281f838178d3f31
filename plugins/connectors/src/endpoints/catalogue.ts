/**
 * `GET /api/connectors?tenant=`: the catalogue (every installed connector, with what connecting it
 * asks for), the tenant's connections (status, account — never a secret) and which hosted agents use
 * which connector. Members of the tenant may read it; `can.manage` says whether they may change it.
 */
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { poolOf, summaryOf } from '../connections.ts'
import { connectorsConfigOf } from '../defaults.ts'
import type { AnyConnector } from '../define.ts'
import { connectorsOf } from '../registry.ts'
import type { ConnectionRow } from '../sql.ts'
import { HttpError, handle, isMember, parse, requireUser, tenantIdSchema } from './http.ts'

/** plugin-agents keeps its hosted agents here (read without depending on it). */
const AGENTS_REGISTRY_KEY = 'bizosaasAgents'

function describeAuth(connector: AnyConnector, platformApp: boolean) {
  const auth = connector.auth
  switch (auth.type) {
    case 'oauth2':
      return auth.grant === 'authorization_code'
        ? { type: 'oauth2', grant: auth.grant, app: auth.app, platformApp }
        : { type: 'oauth2', grant: auth.grant, fields: ['clientId', 'clientSecret'], secretFields: ['clientSecret'] }
    case 'service-account':
      return { type: 'service-account' }
    case 'credentials':
      return {
        type: 'credentials',
        kind: auth.kind,
        // The portal renders the form from this (each field's `.describe()` is its help text).
        schema: z.toJSONSchema(auth.schema, { unrepresentable: 'any' }),
        secretFields: auth.secretFields,
      }
  }
}

function agentsUsing(req: PayloadRequest): Record<string, { slug: string; label: string }[]> {
  const hosted = (req.payload.config.custom?.[AGENTS_REGISTRY_KEY] ?? []) as {
    agent: { slug: string }
    label?: string
    connectors?: string[]
  }[]
  const byConnector: Record<string, { slug: string; label: string }[]> = {}
  for (const h of hosted)
    for (const id of h.connectors ?? []) {
      byConnector[id] = byConnector[id] ?? []
      byConnector[id].push({ slug: h.agent.slug, label: h.label ?? h.agent.slug })
    }
  return byConnector
}

export const catalogueEndpoint: Endpoint = {
  path: '/connectors',
  method: 'get',
  handler: handle(async (req) => {
    requireUser(req)
    const tenant = parse(tenantIdSchema, req.searchParams.get('tenant') ?? undefined)
    if (!isMember(req, tenant)) throw new HttpError(404, `No tenant ${tenant} for this user`)
    const config = connectorsConfigOf(req.payload)
    const { rows } = await poolOf(req.payload).query<ConnectionRow & { checkedAt: Date | null }>(
      `SELECT id, tenant_id AS tenant, connector, name, status, last_error AS "lastError", account,
         expires_at AS "expiresAt", checked_at AS "checkedAt" FROM connections WHERE tenant_id = $1 ORDER BY connector, id`,
      [tenant],
    )
    const using = agentsUsing(req)
    return Response.json({
      tenant,
      can: { manage: Boolean(await config.access.manage({ req, tenant })) },
      connectors: connectorsOf(req.payload).map((c) => ({
        id: c.id,
        name: c.name,
        description: c.description,
        category: c.category,
        docsUrl: c.docsUrl ?? null,
        scopes: c.scopes ?? [],
        auth: describeAuth(c, Boolean(config.apps[c.id]?.clientId)),
        agents: using[c.id] ?? [],
      })),
      connections: rows.map((row) => ({
        ...summaryOf(row),
        // When the connection was last tested or used (the portal's "last checked").
        checkedAt: row.checkedAt ? new Date(row.checkedAt).toISOString() : null,
        agents: using[row.connector] ?? [],
      })),
    })
  }),
}
