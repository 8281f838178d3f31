/**
 * The Acme CRM example against a local mock of the Acme API (node:http, written here): the form's rules,
 * the connection test (accepted key, refused key), the client's calls, and how a busy or broken Acme
 * surfaces. The connector's `urls.api` points at the mock, as `connectorsPlugin({ overrides })` does.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defineTool, type ToolContext } from '@bizosaas/agents'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConnectionError, type ConnectorClient, type ConnectorContext } from '../define.ts'
import { type AcmeCrmCredentials, acmeCrmConnector, acmeCrmCredentials } from './acme-crm.ts'

// --- the mock Acme API --------------------------------------------------------------------------------
const KEY = 'acme_0123456789abcdefXYZ'
let server: Server
let api: string
/** Each request the mock received (method, path, body). */
const requests: { method: string; path: string; body: unknown }[] = []
/** Fault injection: answer every request with this status. */
let failWith: number | undefined

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = ''
    for await (const chunk of req) raw += chunk
    const url = new URL(req.url ?? '/', 'http://mock')
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body: raw ? JSON.parse(raw) : null })
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (failWith) return reply(failWith, { error: 'injected' })
    if (req.headers.authorization !== `Bearer ${KEY}` || req.headers['x-acme-workspace'] !== 'bizoholic')
      return reply(401, { error: 'invalid api key' })
    if (req.method === 'GET' && url.pathname === '/v2/me')
      return reply(200, { workspace: 'bizoholic', email: 'owner@bizoholic.dev' })
    if (req.method === 'GET' && url.pathname === '/v2/contacts')
      return reply(200, {
        data:
          url.searchParams.get('email') === 'ana@example.com'
            ? [{ id: 'c_1', email: 'ana@example.com', name: 'Ana' }]
            : [],
      })
    const note = url.pathname.match(/^\/v2\/contacts\/([^/]+)\/notes$/)
    if (req.method === 'POST' && note)
      return note[1] === 'c_1' ? reply(201, { id: 'n_1' }) : reply(404, { error: 'no such contact' })
    reply(404, { error: 'not found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  requests.length = 0
  failWith = undefined
})

// What the connectors runtime hands a credentials connector: the parsed credentials, plain fetch, and the
// connector's urls after the deployment's overrides (here: the mock).
const contextFor = (apiKey = KEY): ConnectorContext<AcmeCrmCredentials> => ({
  connection: { id: '1', tenant: '1', connector: 'acme-crm' },
  credentials: acmeCrmCredentials.parse({ apiKey, workspace: 'bizoholic' }),
  accessToken: () => Promise.reject(new ConnectionError('error', 'Acme CRM uses an API key', 'acme-crm')),
  fetch: (input, init) => fetch(input, init),
  urls: { ...acmeCrmConnector.urls, api },
})

describe('Acme CRM connector', () => {
  it('explains a malformed key in the form', () => {
    const result = acmeCrmCredentials.safeParse({ apiKey: 'sk-123', workspace: 'bizoholic' })
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      'An Acme CRM API key starts with acme_ (Settings → API keys in Acme CRM)',
    ])
  })

  it('tests a connection: names the account, or asks for a reconnect when the key is refused', async () => {
    const ok = contextFor()
    expect(await acmeCrmConnector.test(await acmeCrmConnector.client(ok), ok)).toEqual({
      ok: true,
      message: 'Connected to the bizoholic workspace as owner@bizoholic.dev',
      account: 'owner@bizoholic.dev',
    })
    const refused = contextFor('acme_revokedrevokedrevoked')
    expect(await acmeCrmConnector.test(await acmeCrmConnector.client(refused), refused)).toEqual({
      ok: false,
      reconnect: true,
      message: 'Acme CRM refused the API key (revoked or mistyped)',
    })
  })

  it('finds a contact and logs a note on it', async () => {
    const client = await acmeCrmConnector.client(contextFor())
    expect(await client.findContact('ana@example.com')).toEqual({ id: 'c_1', email: 'ana@example.com', name: 'Ana' })
    expect(await client.findContact('nobody@example.com')).toBeNull()
    expect(await client.addNote('c_1', 'Called about the spring order')).toEqual({ id: 'n_1' })
    expect(requests.at(-1)).toEqual({
      method: 'POST',
      path: '/v2/contacts/c_1/notes',
      body: { text: 'Called about the spring order' },
    })
    await expect(client.addNote('c_9', 'x')).rejects.toThrow(
      'Acme CRM refused POST contacts/c_9/notes: no such contact',
    )
  })

  it('reports a busy or broken Acme as unavailable, not as a broken connection', async () => {
    const client = await acmeCrmConnector.client(contextFor())
    for (const status of [429, 503]) {
      failWith = status
      const error = await client.findContact('ana@example.com').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConnectionError)
      expect(error).toMatchObject({
        code: 'unavailable',
        message: `Acme CRM is unavailable (HTTP ${status}); try later`,
      })
    }
  })
})

// --- a tool that uses the connection (docs/connector-authoring.md, section 4) ---------------------------
const logCallNoteTool = defineTool({
  id: 'log-call-note',
  description: "Logs a note on a contact in the tenant's Acme CRM, found by email",
  input: z.object({
    email: z.email().describe("The contact's email address"),
    note: z.string().min(1).max(2000).describe('The note to log, in plain sentences'),
  }),
  execute: async ({ email, note }, ctx) => {
    if (!ctx.connection) return { isError: true as const, message: 'This agent runs without connections' }
    try {
      const crm = await ctx.connection<ConnectorClient<'acme-crm'>>('acme-crm')
      const contact = await crm.findContact(email)
      if (!contact) return { isError: true as const, message: `No Acme CRM contact has the email ${email}` }
      return { noteId: (await crm.addNote(contact.id, note)).id }
    } catch (error) {
      // Not connected, needs reconnecting, Acme unavailable: a message the model can relay to the user.
      return { isError: true as const, message: (error as Error).message }
    }
  },
})

describe('a tool using the connection', () => {
  // What plugin-agents hands a tool: `ctx.connection(id)` resolves the run's tenant's client (here the
  // Acme client over the mock; in the CMS, connectionClient() for the run's tenant).
  const toolContext = (connection?: ToolContext['connection']): ToolContext => ({
    runId: 'run-1',
    agent: 'crm-notes',
    tenant: '1',
    signal: new AbortController().signal,
    step: 1,
    toolCallId: 'call-1',
    services: {},
    connection,
  })
  const connected = toolContext(async <T>(id: string) => {
    expect(id).toBe('acme-crm')
    return (await acmeCrmConnector.client(contextFor())) as T
  })

  it('logs the note on the contact found by email', async () => {
    expect(
      await logCallNoteTool.execute({ email: 'ana@example.com', note: 'Wants the spring catalogue' }, connected),
    ).toEqual({ noteId: 'n_1' })
    expect(requests.at(-1)).toMatchObject({
      path: '/v2/contacts/c_1/notes',
      body: { text: 'Wants the spring catalogue' },
    })
  })

  it('answers the model with what went wrong instead of failing the run', async () => {
    expect(await logCallNoteTool.execute({ email: 'nobody@example.com', note: 'x' }, connected)).toEqual({
      isError: true,
      message: 'No Acme CRM contact has the email nobody@example.com',
    })
    const notConnected = toolContext(() =>
      Promise.reject(new ConnectionError('not-connected', 'Connector "acme-crm" is not connected', 'acme-crm')),
    )
    expect(await logCallNoteTool.execute({ email: 'ana@example.com', note: 'x' }, notConnected)).toEqual({
      isError: true,
      message: 'Connector "acme-crm" is not connected',
    })
    failWith = 503
    expect(await logCallNoteTool.execute({ email: 'ana@example.com', note: 'x' }, connected)).toEqual({
      isError: true,
      message: 'Acme CRM is unavailable (HTTP 503); try later',
    })
  })
})

describe('docs/connector-authoring.md', () => {
  it('quotes this example as it is', () => {
    const root = new URL('../../../../', import.meta.url)
    const doc = readFileSync(new URL('docs/connector-authoring.md', root), 'utf8')
    const quotes = [...doc.matchAll(/<!-- quoted from (\S+) -->\n```ts\n([\s\S]*?)\n```/g)]
    expect(quotes.length).toBeGreaterThanOrEqual(6)
    // Compared with whitespace collapsed: the formatter re-indents code blocks in Markdown.
    const flat = (text: string) => text.replace(/\s+/g, ' ').trim()
    for (const [, file, code] of quotes)
      expect(
        flat(readFileSync(new URL(file!, root), 'utf8')),
        `a block quoted from ${file} is no longer in it`,
      ).toContain(flat(code!))
  })
})
