/**
 * A tenant's connectors (the CMS's `/api/connectors`): the catalogue with the tenant's connections and the
 * agents that use them, connecting (credentials form or the OAuth flow), testing, disconnecting, the
 * tenant's own OAuth app, and the AI model key policy. Never a secret: the CMS answers none.
 */
import { cmsErrorMessage, cmsFetch } from '@lib/data/cms'
import { z } from 'zod'

export type ConnectionStatus = 'connected' | 'needs-reconnect' | 'error'

export interface AgentRef {
  slug: string
  label: string
}

export interface CatalogueConnection {
  id: number
  connector: string
  name: string
  status: ConnectionStatus
  lastError: string | null
  account: string | null
  checkedAt?: string | null
  expiresAt: string | null
  agents: AgentRef[]
}

/** One field of a credentials form, from the connector's zod schema (as JSON Schema). */
export interface CredentialField {
  name: string
  label: string
  description?: string
  type: 'text' | 'number' | 'boolean' | 'email' | 'url' | 'textarea'
  required: boolean
  secret: boolean
  options?: string[]
}

export type ConnectorAuthView =
  | { type: 'oauth2'; grant: 'authorization_code'; app: 'platform' | 'tenant' | 'either'; platformApp: boolean }
  | { type: 'oauth2'; grant: 'client_credentials'; fields: CredentialField[] }
  | { type: 'service-account'; fields: CredentialField[] }
  | { type: 'credentials'; kind: string; fields: CredentialField[] }

export interface CatalogueConnector {
  id: string
  name: string
  description: string
  category: string
  docsUrl: string | null
  scopes: string[]
  auth: ConnectorAuthView
  agents: AgentRef[]
  /** The tenant's own OAuth app, when it entered one (client id and hint of the secret). */
  ownApp?: { clientId: string; secretHint: string | null } | null
}

export interface Catalogue {
  canManage: boolean
  connectors: CatalogueConnector[]
  connections: CatalogueConnection[]
}

const jsonSchema = z.object({
  properties: z
    .record(
      z.string(),
      z.object({
        type: z.union([z.string(), z.array(z.string())]).optional(),
        description: z.string().optional(),
        title: z.string().optional(),
        format: z.string().optional(),
        enum: z.array(z.unknown()).optional(),
      }),
    )
    .default({}),
  required: z.array(z.string()).default([]),
})

/** "apiKey" / "api_key" → "Api key". */
const labelOf = (name: string) => {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** The form of a credentials schema: one field per property, secrets as password inputs. */
export function fieldsOf(schema: unknown, secretFields: readonly string[]): CredentialField[] {
  const parsed = jsonSchema.safeParse(schema)
  if (!parsed.success) return []
  return Object.entries(parsed.data.properties).map(([name, p]) => {
    const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type
    const secret = secretFields.includes(name)
    return {
      name,
      label: p.title ?? labelOf(name),
      description: p.description,
      type:
        type === 'number' || type === 'integer'
          ? 'number'
          : type === 'boolean'
            ? 'boolean'
            : p.format === 'email'
              ? 'email'
              : p.format === 'uri'
                ? 'url'
                : 'text',
      required: parsed.data.required.includes(name),
      secret,
      options: p.enum?.map(String),
    }
  })
}

const SERVICE_ACCOUNT_FIELDS: CredentialField[] = [
  {
    name: 'key',
    label: 'Service account key (JSON)',
    description: 'Paste the whole JSON key file.',
    type: 'textarea',
    required: true,
    secret: true,
  },
]
const CLIENT_CREDENTIAL_FIELDS: CredentialField[] = [
  { name: 'clientId', label: 'Client id', type: 'text', required: true, secret: false },
  { name: 'clientSecret', label: 'Client secret', type: 'text', required: true, secret: true },
]

type RawAuth = {
  type: string
  grant?: string
  app?: 'platform' | 'tenant' | 'either'
  platformApp?: boolean
  kind?: string
  schema?: unknown
  secretFields?: string[]
}

function authView(auth: RawAuth): ConnectorAuthView {
  if (auth.type === 'oauth2' && auth.grant === 'authorization_code')
    return { type: 'oauth2', grant: 'authorization_code', app: auth.app ?? 'platform', platformApp: !!auth.platformApp }
  if (auth.type === 'oauth2') return { type: 'oauth2', grant: 'client_credentials', fields: CLIENT_CREDENTIAL_FIELDS }
  if (auth.type === 'service-account') return { type: 'service-account', fields: SERVICE_ACCOUNT_FIELDS }
  return { type: 'credentials', kind: auth.kind ?? 'other', fields: fieldsOf(auth.schema, auth.secretFields ?? []) }
}

/** The catalogue, the tenant's connections and the agents using them; null when the CMS refused. */
export async function getCatalogue(token: string, tenant: string): Promise<Catalogue | { error: string }> {
  const res = await cmsFetch<{
    can?: { manage?: boolean }
    connectors?: (Omit<CatalogueConnector, 'auth'> & { auth: RawAuth })[]
    connections?: CatalogueConnection[]
    error?: string
  }>(`/connectors?tenant=${encodeURIComponent(tenant)}`, { token })
  if (!res.ok) return { error: cmsErrorMessage(res.body, 'The connectors could not be loaded') }
  return {
    canManage: Boolean(res.body.can?.manage),
    connectors: (res.body.connectors ?? []).map((c) => ({ ...c, auth: authView(c.auth) })),
    connections: res.body.connections ?? [],
  }
}

type Result<T = Record<string, unknown>> = { ok: true; body: T } | { ok: false; error: string }
const result = <T>(res: { ok: boolean; body: unknown }): Result<T> =>
  res.ok ? { ok: true, body: res.body as T } : { ok: false, error: cmsErrorMessage(res.body) }

/** Starts the OAuth flow: the provider's consent URL. */
export async function authorizeConnector(
  token: string,
  tenant: string,
  connector: string,
  connection?: string,
): Promise<Result<{ url: string }>> {
  return result(
    await cmsFetch(`/connectors/${encodeURIComponent(connector)}/authorize`, {
      token,
      method: 'POST',
      body: { tenant: Number(tenant), ...(connection ? { connection: Number(connection) } : {}) },
    }),
  )
}

export interface CompletedFlow {
  connection: number
  tenant: number
  connector: string
  account?: string
  reconnected: boolean
  message: string
}

/** Finishes the OAuth flow with what the provider sent back to the callback. */
export async function completeOAuth(
  token: string,
  body: {
    state: string
    code?: string
    error?: string
    errorDescription?: string
    redirectUri: string
    tenant?: number
  },
): Promise<Result<CompletedFlow>> {
  return result(await cmsFetch('/connectors/oauth/complete', { token, method: 'POST', body }))
}

/** Connects with credentials (the CMS tests them first and stores only what passes). */
export async function connectWithCredentials(
  token: string,
  tenant: string,
  connector: string,
  body: { name?: string; credentials: unknown },
): Promise<Result<{ connection?: { account?: string | null }; test?: { message?: string } }>> {
  return result(
    await cmsFetch(`/connectors/${encodeURIComponent(connector)}/connect`, {
      token,
      method: 'POST',
      body: { tenant: Number(tenant), ...body },
    }),
  )
}

export async function testConnectorConnection(
  token: string,
  id: string,
): Promise<Result<{ result: { ok: boolean; message: string } }>> {
  return result(await cmsFetch(`/connectors/connections/${id}/test`, { token, method: 'POST', body: {} }))
}

export async function disconnectConnectorConnection(
  token: string,
  id: string,
): Promise<Result<{ revoked?: boolean; revokeError?: string }>> {
  return result(await cmsFetch(`/connectors/connections/${id}/disconnect`, { token, method: 'POST', body: {} }))
}

export async function saveOwnApp(
  token: string,
  tenant: string,
  connector: string,
  app: { clientId: string; clientSecret: string },
): Promise<Result<{ clientId: string; secretHint: string }>> {
  return result(
    await cmsFetch(`/connectors/${encodeURIComponent(connector)}/app`, {
      token,
      method: 'PUT',
      body: { tenant: Number(tenant), ...app },
    }),
  )
}

export async function removeOwnApp(token: string, tenant: string, connector: string): Promise<Result> {
  return result(
    await cmsFetch(`/connectors/${encodeURIComponent(connector)}/app?tenant=${encodeURIComponent(tenant)}`, {
      token,
      method: 'DELETE',
    }),
  )
}

/** The tenants' own OAuth apps (client id and hint) by connector. */
export async function listOwnApps(
  token: string,
  tenant: string,
): Promise<Record<string, { clientId: string; secretHint: string | null }>> {
  const res = await cmsFetch<{ docs?: { connector: string; clientId: string; secretHint?: string | null }[] }>(
    `/connector-apps?where[tenant][equals]=${encodeURIComponent(tenant)}&depth=0&limit=100`,
    { token },
  )
  if (!res.ok) return {}
  return Object.fromEntries(
    (res.body.docs ?? []).map((d) => [d.connector, { clientId: d.clientId, secretHint: d.secretHint ?? null }]),
  )
}

export const MODEL_KEY_POLICIES = ['own-only', 'own-then-platform', 'platform-only'] as const
export type ModelKeyPolicy = (typeof MODEL_KEY_POLICIES)[number]

/** The tenant's AI model key policy (`GET /api/connectors/model-keys`); null when the CMS has none. */
export async function getModelKeyPolicy(token: string, tenant: string): Promise<ModelKeyPolicy | null> {
  const res = await cmsFetch<{ policy?: string }>(`/connectors/model-keys?tenant=${encodeURIComponent(tenant)}`, {
    token,
  })
  const policy = z.enum(MODEL_KEY_POLICIES).safeParse(res.body.policy)
  return res.ok && policy.success ? policy.data : null
}

export async function saveModelKeyPolicy(token: string, tenant: string, policy: ModelKeyPolicy): Promise<Result> {
  return result(
    await cmsFetch(`/connectors/model-keys?tenant=${encodeURIComponent(tenant)}`, {
      token,
      method: 'PUT',
      body: { tenant: Number(tenant), policy },
    }),
  )
}
