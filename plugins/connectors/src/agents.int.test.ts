/**
 * `ctx.connection('<id>')` in a hosted agent's tool, end to end: a run started over REST, worked by the
 * real pg-boss worker of plugin-agents, the real OpenAI SDK against the mock LLM, and the tool calling
 * the mock provider through the run's tenant's connection. A tenant without the connection gets a tool
 * error the model can relay; an agent may use only the connectors it declares.
 */
import { createHash, randomBytes } from 'node:crypto'
import { defineAgent, defineTool } from '@bizosaas/agents'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { type AgentsWorker, registerAgents, startAgentsWorker } from '@bizosaas/plugin-agents'
import { until } from '@bizosaas/scripts/test/until'
import type { Config } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { saveConnection } from './connections.ts'
import { type ConnectorContext, defineConnector } from './define.ts'
import { type MockOAuthProvider, startMockOAuthProvider } from './testing/mock-oauth.ts'

process.env.VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`
const REDIRECT = 'http://127.0.0.1:9/oauth/callback'
const APP = { clientId: 'agents-app', clientSecret: 'agents-secret-0123456789' }

interface MeClient {
  me(): Promise<{ email: string }>
}

const mockConnector = defineConnector({
  id: 'mock-oauth',
  name: 'Mock OAuth',
  description: 'A provider with a consent page.',
  category: 'other',
  auth: {
    type: 'oauth2',
    grant: 'authorization_code',
    authorizationUrl: 'https://provider.invalid/authorize',
    tokenUrl: 'https://provider.invalid/token',
    app: 'platform',
  },
  urls: { api: 'https://provider.invalid' },
  client: (ctx: ConnectorContext<unknown>): MeClient => ({
    async me() {
      const res = await ctx.fetch(`${ctx.urls.api}/me`)
      if (!res.ok) throw new Error(`/me answered ${res.status}`)
      return (await res.json()) as { email: string }
    },
  }),
  test: async (client) => ({ ok: true, message: 'ok', account: (await client.me()).email }),
})

const whoamiTool = defineTool({
  id: 'whoami',
  description: 'Names the account the tenant connected at the mock provider.',
  input: z.object({}),
  async execute(_input, ctx) {
    if (!ctx.connection) return { isError: true, message: 'This host offers no connections' }
    const client = await ctx.connection<MeClient>('mock-oauth')
    return { account: (await client.me()).email }
  },
})

const agentWith = (slug: string) =>
  defineAgent({
    slug,
    description: 'Says which account is connected (test agent)',
    input: z.object({ question: z.string().describe('What to find out') }),
    output: z.object({ answer: z.string().describe('The answer') }),
    instructions: 'Use the whoami tool, then answer.',
    prompt: (input) => `Who am I? ${input.question}`,
    model: 'openai:gpt-4.1-mini',
    tools: [whoamiTool],
  })

const testAgents = (config: Config) => {
  registerAgents(config, [
    { agent: agentWith('whoami-agent'), connectors: ['mock-oauth'] },
    { agent: agentWith('other-agent'), connectors: ['mock-cc'] },
  ])
  return config
}

let cms: TestCms
let llm: MockLLM
let provider: MockOAuthProvider
let worker: AgentsWorker | undefined
const tenants: Record<string, number> = {}
const tokens: Record<string, string> = {}

beforeAll(async () => {
  provider = await startMockOAuthProvider({ clients: [{ ...APP, redirectUris: [REDIRECT] }] })
  llm = await startMockLLM({
    script: [
      // Each run: first the tool call, then an answer once the tool's result is in the conversation.
      { match: (r) => r.toolResults.length === 0, reply: { toolCalls: [{ name: 'whoami', arguments: {} }] } },
      { match: (r) => r.toolResults.length > 0, reply: { json: { answer: 'done' } } },
    ],
  })
  process.env.OPENAI_API_KEY = 'test-key'
  process.env.OPENAI_BASE_URL = llm.openaiBaseURL
  cms = await startTestCms('connectors_agents', {
    plugins: [testAgents],
    connectors: {
      connectors: [mockConnector],
      apps: { 'mock-oauth': APP },
      overrides: { 'mock-oauth': { tokenUrl: provider.tokenUrl, urls: { api: provider.url } } },
    },
  })
  await seed(cms.payload)
  for (const slug of ['bizoholic', 'coreldove'])
    tenants[slug] = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!
      .id as number
  for (const email of ['owner@bizoholic.dev', 'owner@coreldove.dev'])
    tokens[email] = await cms.login(email, DEMO_PASSWORD)
  // Bizoholic connects through the real consent flow; CoreLDove does not.
  const verifier = randomBytes(32).toString('base64url')
  const url = new URL(provider.authorizationUrl)
  for (const [k, v] of Object.entries({
    client_id: APP.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(k, v)
  const code = (await provider.consent(url.toString())).searchParams.get('code')!
  const res = await fetch(provider.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
    }),
  })
  const t = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number }
  await saveConnection(cms.payload, {
    tenant: tenants.bizoholic!,
    connector: 'mock-oauth',
    tokens: {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: new Date(Date.now() + t.expires_in * 1000).toISOString(),
    },
  })
  worker = await startAgentsWorker(cms.payload, { concurrency: 2 })
})

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  await cms?.close()
  await llm?.close()
  await provider?.close()
})

/** Starts a run over REST and waits until it is final; returns its tool-call step. */
async function runAndToolStep(agent: string, tenant: string, owner: string) {
  const started = await cms.rest.post(
    `/agents/${agent}/runs`,
    { tenant: tenants[tenant], input: { question: 'which account?' } },
    tokens[owner],
  )
  expect(started.status, JSON.stringify(started.body)).toBe(202)
  const id = started.body.id as number
  const run = await until(
    `run of ${agent} to finish`,
    async () => {
      const doc = (await cms.payload.findByID({ collection: 'agent-runs', id, overrideAccess: true, depth: 0 })) as {
        status: string
        runId: string
      }
      return ['succeeded', 'failed', 'awaiting-approval'].includes(doc.status) ? doc : undefined
    },
    60_000,
    200,
  )
  const steps = await cms.payload.find({
    collection: 'agent-steps',
    where: { and: [{ runId: { equals: run.runId } }, { kind: { equals: 'tool-call' } }] },
    overrideAccess: true,
    depth: 0,
  })
  return { run, step: steps.docs[0] as unknown as { name: string; isError: boolean; data: Record<string, unknown> } }
}

describe('ctx.connection in hosted agents', () => {
  it('a tool uses the run tenant’s connection (real worker, real provider calls)', async () => {
    const calls = provider.count('me')
    const { run, step } = await runAndToolStep('whoami-agent', 'bizoholic', 'owner@bizoholic.dev')
    expect(run.status).toBe('succeeded')
    expect(step.name).toBe('whoami')
    expect(step.isError).toBe(false)
    expect(JSON.stringify(step.data)).toContain('owner@example.com')
    expect(provider.count('me')).toBe(calls + 1)
    // The catalogue says which agents use the connector.
    const catalogue = await cms.rest.get(`/connectors?tenant=${tenants.bizoholic}`, tokens['owner@bizoholic.dev'])
    const entry = (catalogue.body.connectors as { id: string; agents: { slug: string }[] }[]).find(
      (c) => c.id === 'mock-oauth',
    )
    expect(entry?.agents.map((a) => a.slug)).toEqual(['whoami-agent'])
  })

  it('a tenant without the connection gets a tool error the model can relay', async () => {
    const { step } = await runAndToolStep('whoami-agent', 'coreldove', 'owner@coreldove.dev')
    expect(step.isError).toBe(true)
    expect(step.data.message).toMatch(/not connected/)
  })

  it('an agent may use only the connectors it declares', async () => {
    const { step } = await runAndToolStep('other-agent', 'bizoholic', 'owner@bizoholic.dev')
    expect(step.isError).toBe(true)
    expect(step.data.message).toMatch(/does not declare connector "mock-oauth"/)
  })
})
