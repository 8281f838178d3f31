/**
 * The example of docs/connector-authoring.md: a connector for "Acme CRM", a fictional CRM with an API
 * key. Its credentials schema (the portal's form), its typed client over `ctx.fetch` and `ctx.urls.api`,
 * and its test. Real code, tested against a local mock server in acme-crm.test.ts.
 */
import { z } from 'zod'
import { ConnectionError, type ConnectorContext, defineConnector } from '../define.ts'

// --- credentials: what the tenant types into the portal's form -------------------------------------
export const acmeCrmCredentials = z.object({
  apiKey: z
    .string()
    .trim()
    .regex(/^acme_[A-Za-z0-9]{16,}$/, 'An Acme CRM API key starts with acme_ (Settings → API keys in Acme CRM)')
    .describe('Your Acme CRM API key, from Settings → API keys (it starts with acme_)'),
  workspace: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,40}$/, 'The workspace is the part before .acme-crm.example in your Acme address')
    .describe('Your workspace: the part before .acme-crm.example in the address of your Acme CRM'),
})
export type AcmeCrmCredentials = z.infer<typeof acmeCrmCredentials>

// --- the client agents and jobs get ------------------------------------------------------------------
const contact = z.object({ id: z.string(), email: z.string(), name: z.string() })
export type AcmeContact = z.infer<typeof contact>

export interface AcmeCrmClient {
  /** The workspace and the user the key belongs to. */
  whoami(): Promise<{ workspace: string; email: string }>
  findContact(email: string): Promise<AcmeContact | null>
  addNote(contactId: string, text: string): Promise<{ id: string }>
}

// Typed `ctx.connection('acme-crm')` in tools (a pack outside this package writes
// `declare module '@bizosaas/plugin-connectors/define'`).
declare module '../define.ts' {
  interface ConnectorClients {
    'acme-crm': AcmeCrmClient
  }
}

function acmeCrmClient(ctx: ConnectorContext<AcmeCrmCredentials>): AcmeCrmClient {
  const { apiKey, workspace } = ctx.credentials
  async function call<T>(path: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
    const res = await ctx.fetch(new URL(path, `${ctx.urls.api}/`), {
      ...init,
      headers: {
        authorization: `Bearer ${apiKey}`,
        'x-acme-workspace': workspace,
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    })
    const body: unknown = await res.json().catch(() => null)
    // A refused key needs a person (the connection becomes needs-reconnect); a busy or broken Acme does not.
    if (res.status === 401)
      throw new ConnectionError('needs-reconnect', 'Acme CRM refused the API key (revoked or mistyped)', 'acme-crm')
    if (res.status === 429 || res.status >= 500)
      throw new ConnectionError('unavailable', `Acme CRM is unavailable (HTTP ${res.status}); try later`, 'acme-crm')
    if (!res.ok) {
      const message = z.object({ error: z.string() }).safeParse(body).data?.error ?? `HTTP ${res.status}`
      throw new Error(`Acme CRM refused ${init.method ?? 'GET'} ${path}: ${message}`)
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success) throw new Error(`Acme CRM answered ${path} with an unexpected body`)
    return parsed.data
  }
  return {
    whoami: () => call('me', z.object({ workspace: z.string(), email: z.string() })),
    findContact: async (email) =>
      (await call(`contacts?email=${encodeURIComponent(email)}`, z.object({ data: z.array(contact) }))).data[0] ?? null,
    addNote: (contactId, text) =>
      call(`contacts/${encodeURIComponent(contactId)}/notes`, z.object({ id: z.string() }), {
        method: 'POST',
        body: JSON.stringify({ text }),
      }),
  }
}

// --- the connector -------------------------------------------------------------------------------------
export const acmeCrmConnector = defineConnector<'acme-crm', AcmeCrmCredentials, AcmeCrmClient>({
  id: 'acme-crm',
  name: 'Acme CRM',
  description: 'Find contacts and log notes in your Acme CRM workspace.',
  category: 'crm',
  auth: { type: 'credentials', kind: 'api-key', schema: acmeCrmCredentials, secretFields: ['apiKey'] },
  urls: { api: 'https://api.acme-crm.example/v2' },
  docsUrl: 'https://acme-crm.example/docs/api-keys',
  client: acmeCrmClient,
  async test(client) {
    try {
      const me = await client.whoami()
      return { ok: true, message: `Connected to the ${me.workspace} workspace as ${me.email}`, account: me.email }
    } catch (error) {
      if (error instanceof ConnectionError)
        return { ok: false, message: error.message, reconnect: error.code === 'needs-reconnect' }
      return { ok: false, message: (error as Error).message }
    }
  },
})
