/**
 * Bring your own key, end to end on the real CMS (PostgreSQL, pg-boss, the agents worker) with the real
 * OpenAI and Anthropic SDKs against the mock LLM, which records each request's headers: a tenant's run
 * reaches the model with the tenant's key (the platform's is not sent), per the tenant's policy; runs
 * record which key paid; the tenant's budget applies to its own key too; one tenant's key never serves another.
 */
import { defineAgent } from '@bizosaas/agents'
import { type MockLLM, type MockRequest, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { type AgentsWorker, registerAgents, startAgentsWorker, startRun } from '@bizosaas/plugin-agents'
import { until } from '@bizosaas/scripts/test/until'
import type { Config } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { saveConnection } from '../connections.ts'
import type { ModelKeyPolicy } from './policy.ts'

const PLATFORM_OPENAI = 'sk-platform-openai-000000000000'
const PLATFORM_ANTHROPIC = 'sk-ant-platform-0000000000000'
const A_OPENAI = 'sk-tenant-a-openai-aaaaaaaaaaaa'
const A_ANTHROPIC = 'sk-ant-tenant-a-aaaaaaaaaaaaaa'

const note = (slug: string, model: string | string[]) =>
  defineAgent({
    slug,
    description: 'Writes a note (test agent)',
    input: z.object({ topic: z.string().describe('What to write about') }),
    output: z.object({ note: z.string().describe('The note') }),
    instructions: 'Write a note.',
    prompt: (input) => `Note on ${input.topic}`,
    model,
  })

const agents = {
  openai: note('byok-openai', 'openai:gpt-4.1-mini'),
  anthropic: note('byok-anthropic', 'anthropic:claude-haiku-4-5'),
  /** Anthropic first, OpenAI as fallback. */
  chain: note('byok-chain', ['anthropic:claude-haiku-4-5', 'openai:gpt-4.1-mini']),
}
const testAgents = (config: Config) =>
  registerAgents(
    config,
    Object.values(agents).map((agent) => ({ agent })),
  )

type Id = number
type RunDoc = {
  id: Id
  status: string
  keySource?: string | null
  keyConnection?: string | null
  costUsd?: number
  error?: { code?: string; message?: string } | null
}

let cms: TestCms
let mock: MockLLM
let worker: AgentsWorker
const tenant = { a: 0, b: 0 }
const token: Record<string, string> = {}
let aOpenaiConnection: string
let seq = 0

beforeAll(async () => {
  mock = await startMockLLM({ script: [{ match: /Note on/, times: 1_000, reply: { json: { note: 'A note' } } }] })
  Object.assign(process.env, {
    OPENAI_API_KEY: PLATFORM_OPENAI,
    OPENAI_BASE_URL: mock.openaiBaseURL,
    ANTHROPIC_API_KEY: PLATFORM_ANTHROPIC,
    ANTHROPIC_BASE_URL: mock.anthropicBaseURL,
  })
  cms = await startTestCms('connectors_byok', { plugins: [testAgents] })
  await seed(cms.payload)
  const { docs } = await cms.payload.find({ collection: 'tenants', depth: 0, pagination: false })
  tenant.a = docs.find((t) => t.slug === 'bizoholic')!.id
  tenant.b = docs.find((t) => t.slug === 'coreldove')!.id
  for (const who of ['owner@bizoholic.dev', 'manager@bizoholic.dev', 'owner@coreldove.dev', 'admin@bizosaas.dev'])
    token[who] = await cms.login(who, DEMO_PASSWORD)
  // Tenant A brings its own OpenAI key, pointed at the mock like the platform's.
  aOpenaiConnection = await saveKey(tenant.a, 'openai', A_OPENAI, mock.openaiBaseURL)
  worker = await startAgentsWorker(cms.payload, { concurrency: 2, expiryIntervalMs: 300 })
})

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  await cms?.close()
  await mock?.close()
})

/** Stores a tenant's key for a provider, as the portal's connect does; returns its connection id. */
async function saveKey(tenantId: Id, provider: 'openai' | 'anthropic', apiKey: string, baseUrl: string) {
  const saved = await saveConnection(cms.payload, {
    tenant: tenantId,
    connector: provider,
    credentials: { apiKey, baseUrl },
  })
  return String(saved.id)
}

async function setPolicy(tenantId: Id, policy: ModelKeyPolicy) {
  await cms.payload.update({ collection: 'tenants', id: tenantId, data: { modelKeys: policy } as never })
}

/** Runs `agent` for a tenant to its end; the run row and the mock requests it made. */
async function run(agent: keyof typeof agents, tenantId: Id): Promise<{ row: RunDoc; requests: MockRequest[] }> {
  const topic = `topic-${++seq}-${agent}`
  const started = await startRun(cms.payload, {
    agent: agents[agent].slug,
    input: { topic },
    tenant: tenantId,
    trigger: { kind: 'manual' },
  })
  const row = await until(
    `run ${topic} to finish`,
    async () => {
      const doc = (await cms.payload.findByID({
        collection: 'agent-runs',
        id: started.run.id,
        depth: 0,
      })) as unknown as RunDoc
      return ['succeeded', 'failed', 'cancelled', 'awaiting-approval'].includes(doc.status) && doc
    },
    20_000,
    100,
  )
  return { row, requests: mock.requests.filter((r) => r.prompt.includes(topic)) }
}

/** The key a request carried (the Anthropic SDK sends `x-api-key` or, since 1.x, a bearer token). */
const keyOf = (request: MockRequest) =>
  String(request.headers['x-api-key'] ?? request.headers.authorization).replace(/^Bearer /, '')

describe('bring your own key', () => {
  it('a tenant with its own key (default policy) reaches the model with it; the platform key is not sent', async () => {
    const { row, requests } = await run('openai', tenant.a)
    expect(row.status, JSON.stringify(row.error)).toBe('succeeded')
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.map(keyOf)).toEqual(requests.map(() => A_OPENAI))
    expect(JSON.stringify(requests.map((r) => r.headers))).not.toContain(PLATFORM_OPENAI)
    expect(row).toMatchObject({ keySource: 'tenant', keyConnection: aOpenaiConnection })
  })

  it('tenant B’s run never uses A’s key: without its own, the platform’s pays', async () => {
    const { row, requests } = await run('openai', tenant.b)
    expect(row.status).toBe('succeeded')
    expect(requests.map(keyOf)).toEqual(requests.map(() => PLATFORM_OPENAI))
    expect(JSON.stringify(requests.map((r) => r.headers))).not.toContain(A_OPENAI)
    expect(row).toMatchObject({ keySource: 'platform', keyConnection: null })
  })

  it('own-then-platform without a key for the provider: the platform’s key', async () => {
    const { row, requests } = await run('anthropic', tenant.a)
    expect(row.status).toBe('succeeded')
    expect(requests.map((r) => [r.api, keyOf(r)])).toEqual(requests.map(() => ['anthropic', PLATFORM_ANTHROPIC]))
    expect(row.keySource).toBe('platform')
  })

  it('own-only without a key: the run fails with a clear message and no model is called', async () => {
    await setPolicy(tenant.b, 'own-only')
    try {
      const before = mock.requests.length
      const { row, requests } = await run('anthropic', tenant.b)
      expect(row.status).toBe('failed')
      expect(row.error?.message).toContain(
        'This tenant uses only its own keys and has no Anthropic key; add one under Integrations',
      )
      expect(requests).toEqual([])
      expect(mock.requests.length).toBe(before)
      expect(row.keySource ?? null).toBeNull()
    } finally {
      await setPolicy(tenant.b, 'own-then-platform')
    }
  })

  it('own-only: a chain falls back past a provider the tenant has no key for, to one it has', async () => {
    await setPolicy(tenant.a, 'own-only')
    try {
      const { row, requests } = await run('chain', tenant.a)
      expect(row.status, JSON.stringify(row.error)).toBe('succeeded')
      expect(requests.map((r) => [r.api, keyOf(r)])).toEqual(requests.map(() => ['openai', A_OPENAI]))
      expect(row.keySource).toBe('tenant')
    } finally {
      await setPolicy(tenant.a, 'own-then-platform')
    }
  })

  it('platform-only with a key of its own: the platform’s key', async () => {
    await setPolicy(tenant.a, 'platform-only')
    try {
      const { row, requests } = await run('openai', tenant.a)
      expect(row.status).toBe('succeeded')
      expect(requests.map(keyOf)).toEqual(requests.map(() => PLATFORM_OPENAI))
      expect(row.keySource).toBe('platform')
    } finally {
      await setPolicy(tenant.a, 'own-then-platform')
    }
  })

  it('a second provider key of the tenant is used for that provider', async () => {
    await saveKey(tenant.a, 'anthropic', A_ANTHROPIC, mock.anthropicBaseURL)
    const { row, requests } = await run('chain', tenant.a)
    expect(row.status).toBe('succeeded')
    expect(requests.map((r) => [r.api, keyOf(r)])).toEqual(requests.map(() => ['anthropic', A_ANTHROPIC]))
    expect(row.keySource).toBe('tenant')
  })

  it('the tenant’s budget applies to runs on its own key', async () => {
    const settings = await cms.payload.create({
      collection: 'agent-settings',
      data: { tenant: tenant.a, agent: agents.openai.slug, monthlyBudgetUsd: 0.000_001 } as never,
    })
    try {
      // Runs on A's own key have already spent more than that this month.
      const before = mock.requests.length
      const refused = await startRun(cms.payload, {
        agent: agents.openai.slug,
        input: { topic: 'over budget' },
        tenant: tenant.a,
        trigger: { kind: 'manual' },
      }).catch((error: { status?: number; message: string }) => error)
      expect(refused).toMatchObject({ status: 402 })
      expect((refused as Error).message).toContain('monthly budget')
      expect(mock.requests.length).toBe(before)
    } finally {
      await cms.payload.delete({ collection: 'agent-settings', id: settings.id })
    }
  })
})

describe('GET/PUT /api/connectors/model-keys', () => {
  const path = (id: Id | string) => `/connectors/model-keys?tenant=${id}`

  it('tenant admins read and change their tenant’s policy', async () => {
    const owner = token['owner@bizoholic.dev']
    expect((await cms.rest.get(path(tenant.a), owner)).body).toMatchObject({
      tenant: tenant.a,
      policy: 'own-then-platform',
    })
    const put = await cms.rest.request('PUT', path(tenant.a), { token: owner, body: { policy: 'own-only' } })
    expect([put.status, put.body.policy]).toEqual([200, 'own-only'])
    expect((await cms.rest.get(path(tenant.a), owner)).body.policy).toBe('own-only')
    const admin = await cms.rest.request('PUT', path(tenant.a), {
      token: token['admin@bizosaas.dev'],
      body: { policy: 'own-then-platform' },
    })
    expect(admin.status).toBe(200)
  })

  it('refuses a wrong policy, a missing or malformed tenant, other roles and other tenants', async () => {
    const owner = token['owner@bizoholic.dev']
    const bad = await cms.rest.request('PUT', path(tenant.a), { token: owner, body: { policy: 'mine' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toBe('policy: Choose one of own-only, own-then-platform, platform-only')
    const extra = await cms.rest.request('PUT', path(tenant.a), {
      token: owner,
      body: { policy: 'own-only', key: 'x' },
    })
    expect(extra.status).toBe(400)
    expect((await cms.rest.get('/connectors/model-keys', owner)).status).toBe(400)
    expect((await cms.rest.get(path('abc'), owner)).body.error).toBe(
      'Pass ?tenant=<id>: a tenant id is a positive whole number',
    )
    expect((await cms.rest.get(path(tenant.a))).status).toBe(401)
    expect((await cms.rest.get(path(tenant.a), token['manager@bizoholic.dev'])).status).toBe(403)
    const foreign = await cms.rest.request('PUT', path(tenant.a), {
      token: token['owner@coreldove.dev'],
      body: { policy: 'platform-only' },
    })
    expect(foreign.status).toBe(404)
    const stored = await cms.payload.findByID({ collection: 'tenants', id: tenant.a, depth: 0 })
    expect((stored as { modelKeys?: string }).modelKeys).toBe('own-then-platform')
  })
})
