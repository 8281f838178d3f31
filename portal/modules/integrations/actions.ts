'use server'
/**
 * The connectors page's actions: connect (credentials form, or the OAuth flow's first step), test,
 * disconnect, the tenant's own OAuth app, and the AI model key policy. Tenant-admins only; the role is
 * checked here and again by the CMS. The vault's key actions (older integrations) stay below.
 */
import {
  authorizeConnector,
  connectWithCredentials,
  disconnectConnectorConnection,
  getCatalogue,
  MODEL_KEY_POLICIES,
  removeOwnApp,
  saveModelKeyPolicy,
  saveOwnApp,
  testConnectorConnection,
} from '@lib/data/connectors'
import { authorizeAction, sessionCookieOptions } from '@lib/session'
import { OAUTH_TENANT_COOKIE } from '@modules/integrations/flash'
import { revalidatePath } from 'next/cache'
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'

export interface IntegrationResult {
  ok?: boolean
  error?: string
  message?: string
  /** What the user typed (secrets left out), so a refused form keeps it. */
  values?: Record<string, string>
}

const connectorId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'Unknown connector')
const connectionId = z.string().regex(/^\d{1,15}$/, 'Unknown connection')
const page = (tenant: string) => `/t/${tenant}/integrations`

/** The connector as the catalogue describes it, if this tenant's page offers it. */
async function offered(token: string, tenant: string, id: string) {
  const catalogue = await getCatalogue(token, tenant)
  return 'error' in catalogue ? undefined : catalogue.connectors.find((c) => c.id === id)
}

/** The OAuth flow's first step: the CMS stores the state and answers the provider's consent URL. */
export async function startOAuth(
  tenant: string,
  connector: string,
  connection: string | null,
  _prev: IntegrationResult,
): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const id = connectorId.safeParse(connector)
  const conn = connection === null ? { success: true as const, data: undefined } : connectionId.safeParse(connection)
  if (!id.success || !conn.success) return { error: 'Unknown connector or connection.' }
  const res = await authorizeConnector(auth.ctx.session.token, tenant, id.data, conn.data)
  if (!res.ok)
    return { error: res.error }
    // The callback sends the browser back to this tenant's page, and checks the flow was for it.
  ;(await cookies()).set(OAUTH_TENANT_COOKIE, tenant, { ...sessionCookieOptions(), maxAge: 600 })
  redirect(res.body.url)
}

/** Connects a credentials, client-credentials or service-account connector from its generated form. */
export async function connectCredentials(
  tenant: string,
  connector: string,
  _prev: IntegrationResult,
  data: FormData,
): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const token = auth.ctx.session.token
  const described = await offered(token, tenant, connector)
  if (!described || (described.auth.type === 'oauth2' && described.auth.grant === 'authorization_code'))
    return { error: 'This connector has no form to fill in.' }
  const fields = described.auth.fields
  const credentials: Record<string, unknown> = {}
  const values: Record<string, string> = {}
  for (const field of fields) {
    const raw = data.get(`field:${field.name}`)
    const text = typeof raw === 'string' ? raw.trim() : ''
    if (!field.secret) values[field.name] = text
    if (field.type === 'boolean') credentials[field.name] = raw === 'on'
    else if (text === '') {
      if (field.required) return { error: `${field.label}: enter a value`, values }
    } else if (field.type === 'number') {
      const n = Number(text)
      if (!Number.isFinite(n)) return { error: `${field.label}: enter a number`, values }
      credentials[field.name] = n
    } else credentials[field.name] = text
  }
  const name = z
    .string()
    .trim()
    .max(120, 'Name: at most 120 characters')
    .safeParse(data.get('name') ?? '')
  if (!name.success) return { error: name.error.issues[0]!.message, values }
  const body =
    described.auth.type === 'service-account'
      ? { name: name.data || undefined, credentials: credentials.key }
      : { name: name.data || undefined, credentials }
  const res = await connectWithCredentials(token, tenant, connector, body)
  if (!res.ok) return { error: res.error, values }
  revalidatePath(page(tenant))
  const account = res.body.connection?.account
  return { ok: true, message: `Connected ${described.name}${account ? ` as ${account}` : ''}.` }
}

export async function testConnectorAction(tenant: string, id: string): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  if (!(await ownConnection(auth.ctx.session.token, tenant, id))) return { error: 'No such connection in this tenant.' }
  const res = await testConnectorConnection(auth.ctx.session.token, id)
  revalidatePath(page(tenant))
  if (!res.ok) return { error: res.error }
  return res.body.result.ok ? { ok: true, message: res.body.result.message } : { error: res.body.result.message }
}

export async function disconnectConnectorAction(tenant: string, id: string): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  if (!(await ownConnection(auth.ctx.session.token, tenant, id))) return { error: 'No such connection in this tenant.' }
  const res = await disconnectConnectorConnection(auth.ctx.session.token, id)
  revalidatePath(page(tenant))
  if (!res.ok) return { error: res.error }
  return {
    ok: true,
    message: res.body.revoked
      ? 'Disconnected; access was revoked at the provider.'
      : res.body.revokeError
        ? `Disconnected here, but the provider did not confirm the revocation: ${res.body.revokeError}`
        : 'Disconnected.',
  }
}

/** Only this tenant's connections, whatever id the browser sends. */
async function ownConnection(token: string, tenant: string, id: string) {
  if (!connectionId.safeParse(id).success) return false
  const catalogue = await getCatalogue(token, tenant)
  return !('error' in catalogue) && catalogue.connections.some((c) => String(c.id) === id)
}

const appForm = z.object({
  clientId: z.string().trim().min(1, 'Client id: paste your OAuth app’s client id').max(500),
  clientSecret: z.string().trim().min(8, 'Client secret: paste your OAuth app’s client secret'),
})

export async function saveOwnAppAction(
  tenant: string,
  connector: string,
  _prev: IntegrationResult,
  data: FormData,
): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const parsed = appForm.safeParse(Object.fromEntries(data))
  if (!parsed.success)
    return { error: parsed.error.issues[0]!.message, values: { clientId: String(data.get('clientId') ?? '') } }
  const res = await saveOwnApp(auth.ctx.session.token, tenant, connector, parsed.data)
  if (!res.ok) return { error: res.error, values: { clientId: parsed.data.clientId } }
  revalidatePath(page(tenant))
  return { ok: true, message: 'Saved your OAuth app; connecting now uses it. The secret will not be shown again.' }
}

export async function removeOwnAppAction(tenant: string, connector: string): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const res = await removeOwnApp(auth.ctx.session.token, tenant, connector)
  revalidatePath(page(tenant))
  return res.ok ? { ok: true, message: 'Removed your OAuth app.' } : { error: res.error }
}

export async function saveModelKeyPolicyAction(
  tenant: string,
  _prev: IntegrationResult,
  data: FormData,
): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const policy = z.enum(MODEL_KEY_POLICIES, 'Choose which keys pay for AI runs').safeParse(data.get('policy'))
  if (!policy.success) return { error: policy.error.issues[0]!.message }
  const res = await saveModelKeyPolicy(auth.ctx.session.token, tenant, policy.data)
  revalidatePath(page(tenant))
  return res.ok ? { ok: true, message: 'Saved.' } : { error: res.error }
}

// The vault's keys (OpenAI / Anthropic), until they are folded into connections.
