/**
 * Outgoing webhooks on the real CMS (Payload on its own PostgreSQL database, real pg-boss, real HTTP to
 * the testing kit's receiver): the secret is shown once and never again; signatures verify with the
 * `standardwebhooks` package; a failing receiver is retried with backoff under one webhook-id; endpoints
 * are disabled after failures in a row; tenants never see or act on each other's endpoints; production
 * refuses private targets; a finished agent run reaches a subscribed endpoint.
 */
import { randomBytes } from 'node:crypto'
import { defineAgent } from '@bizosaas/agents'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { lexicalParagraphs, startTestCms, type TestCms } from '@bizosaas/cms/test'
import { type AgentsWorker, registerAgents, startAgentsWorker, startRun } from '@bizosaas/plugin-agents'
import { agentQueueOf, pluginConfigOf } from '@bizosaas/plugin-agents/testing'
import { until } from '@bizosaas/scripts/test/until'
import pg from 'pg'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { startWebhookReceiver, type WebhookReceiver } from '../testing/index.ts'
import {
  emitWebhookEvent,
  isNonPublicAddress,
  postWebhook,
  startWebhookWorker,
  stopWebhookBoss,
  type WebhookWorker,
  webhooksConfigOf,
} from './index.ts'

process.env.VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`

const noteAgent = defineAgent({
  slug: 'webhook-note',
  description: 'Writes a short note (test agent)',
  input: z.object({ topic: z.string().describe('What the note is about') }),
  output: z.object({ note: z.string().describe('The note') }),
  instructions: 'Write a note.',
  prompt: (input) => `Webhook note on ${input.topic}`,
  model: 'openai:gpt-4.1-mini',
})

let cms: TestCms
let sql: pg.Client
let mock: MockLLM
let receiver: WebhookReceiver
let worker: WebhookWorker
let agents: AgentsWorker | undefined
const tenants = { a: 0, b: 0 }
const tokens: Record<string, string> = {}
/** Every secret the platform handed out: none may appear in a list, a log line or an audit entry. */
const secrets: string[] = []
const logged: string[] = []

beforeAll(async () => {
  ;[receiver, mock] = await Promise.all([
    startWebhookReceiver(),
    startMockLLM({ script: [{ match: /Webhook note/, reply: { json: { note: 'A note' } } }] }),
  ])
  process.env.OPENAI_API_KEY = 'test-key'
  process.env.OPENAI_BASE_URL = mock.openaiBaseURL
  cms = await startTestCms('webhooks', {
    plugins: [(config) => registerAgents(config, [{ agent: noteAgent }])],
    // Seconds, not minutes, between attempts; two failed deliveries in a row disable an endpoint.
    webhooks: { retryLimit: 3, retryDelaySeconds: 1, timeoutMs: 2_000, disableAfterFailures: 2 },
  })
  await seed(cms.payload)
  for (const [key, slug] of [
    ['a', 'bizoholic'],
    ['b', 'coreldove'],
  ] as const)
    tenants[key] = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!
      .id as number
  // Admin of B and manager of A at once.
  await cms.payload.create({
    collection: 'users',
    data: {
      email: 'mixed@example.dev',
      name: 'Mixed',
      password: DEMO_PASSWORD,
      roles: ['user'],
      tenants: [
        { tenant: tenants.a, roles: ['manager'] },
        { tenant: tenants.b, roles: ['tenant-admin'] },
      ],
    } as never,
  })
  for (const email of [
    'owner@bizoholic.dev',
    'manager@bizoholic.dev',
    'client@bizoholic.dev',
    'owner@coreldove.dev',
    'mixed@example.dev',
  ])
    tokens[email] = await cms.login(email, DEMO_PASSWORD)
  sql = new pg.Client({ connectionString: cms.db.url })
  await sql.connect()
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
    const original = cms.payload.logger[level].bind(cms.payload.logger)
    vi.spyOn(cms.payload.logger, level).mockImplementation(((...args: unknown[]) => {
      logged.push(JSON.stringify(args, (_k, v) => (v instanceof Error ? `${v.message} ${v.stack}` : v)))
      return (original as (...a: unknown[]) => void)(...args)
    }) as never)
  }
  worker = await startWebhookWorker(cms.payload, { pollingIntervalSeconds: 0.5 })
})

afterAll(async () => {
  await agents?.stop({ graceMs: 1_000 })
  await agentQueueOf(cms.payload, pluginConfigOf(cms.payload))
    .stop({ graceMs: 1_000 })
    .catch(() => {})
  await worker?.stop({ graceMs: 1_000 })
  await stopWebhookBoss(cms.payload)
  await sql?.end()
  await receiver?.close()
  await mock?.close()
  await cms?.close()
})

interface EndpointDoc {
  id: number
  url: string
  enabled: boolean
  failureCount: number
  disabledAt?: string | null
  disabledReason?: string | null
  secret?: string
}
interface DeliveryDoc {
  id: number
  eventId: string
  eventType: string
  status: string
  attempts: number
  responseStatus: number | null
  responseBody: string | null
  nextAttemptAt: string | null
}

async function createEndpoint(email: string, tenant: number, body: Record<string, unknown> = {}) {
  const res = await cms.rest.post(
    '/webhook-endpoints',
    { url: receiver.url, events: ['run.finished', 'order.placed'], tenant, ...body },
    tokens[email],
  )
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const doc = res.body.doc as EndpointDoc
  secrets.push(doc.secret!)
  return doc
}

const deliveryOf = (id: number | string) =>
  cms.payload.findByID({
    collection: 'webhook-deliveries',
    id,
    depth: 0,
    overrideAccess: true,
  }) as unknown as Promise<DeliveryDoc>
const endpointOf = (id: number) =>
  cms.payload.findByID({
    collection: 'webhook-endpoints',
    id,
    depth: 0,
    overrideAccess: true,
  }) as unknown as Promise<EndpointDoc>
const settled = (id: number | string) =>
  until(`delivery ${id} to settle`, async () => {
    const row = await deliveryOf(id)
    return (row.status === 'succeeded' || row.status === 'failed') && row
  })

describe('webhook endpoints', () => {
  let endpoint: EndpointDoc

  it('shows the signing secret once, at creation, and stores it sealed', async () => {
    endpoint = await createEndpoint('owner@bizoholic.dev', tenants.a, { description: 'Zapier' })
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(endpoint.secret!.slice(6), 'base64')).toHaveLength(32)
    expect(endpoint).toMatchObject({ enabled: true, failureCount: 0 })
    expect(endpoint).not.toHaveProperty('ciphertext')

    const stored = (await sql.query('SELECT * FROM webhook_endpoints WHERE id = $1', [endpoint.id])).rows[0]
    expect(stored.ciphertext).toMatch(/^v1\./)
    expect(stored.key_id).toBe('k1')
    expect(JSON.stringify(stored)).not.toContain(endpoint.secret!.slice(6))

    for (const res of [
      await cms.rest.get('/webhook-endpoints', tokens['owner@bizoholic.dev']),
      await cms.rest.get(`/webhook-endpoints/${endpoint.id}`, tokens['owner@bizoholic.dev']),
      await cms.rest.get('/webhook-endpoints', tokens['manager@bizoholic.dev']),
      await cms.rest.patch(`/webhook-endpoints/${endpoint.id}`, { description: 'Zap' }, tokens['owner@bizoholic.dev']),
    ]) {
      expect(res.status).toBe(200)
      const text = JSON.stringify(res.body)
      expect(text).not.toContain(endpoint.secret!)
      expect(text).not.toContain(stored.ciphertext)
      expect(text).not.toContain('"secret"')
    }
  })

  it('refuses bad URLs and a secret or counters sent by the user, with a message naming the field', async () => {
    const bad = await cms.rest.post(
      '/webhook-endpoints',
      { url: 'http://example.com/hook', events: ['run.finished'], tenant: tenants.a },
      tokens['owner@bizoholic.dev'],
    )
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('https://')
    const notUrl = await cms.rest.post(
      '/webhook-endpoints',
      { url: 'not a url', events: ['run.finished'], tenant: tenants.a },
      tokens['owner@bizoholic.dev'],
    )
    expect(notUrl.status).toBe(400)
    const forged = await createEndpoint('owner@bizoholic.dev', tenants.a, {
      ciphertext: 'v1.forged',
      keyId: 'k1',
      failureCount: 9,
    })
    expect(forged.failureCount).toBe(0)
    const row = (await sql.query('SELECT ciphertext FROM webhook_endpoints WHERE id = $1', [forged.id])).rows[0]
    expect(row.ciphertext).not.toBe('v1.forged')
    await cms.rest.delete(`/webhook-endpoints/${forged.id}`, tokens['owner@bizoholic.dev'])
  })

  it('sends a signed test event that verifies with the standardwebhooks package', async () => {
    receiver.secret = endpoint.secret
    const before = receiver.received.length
    const res = await cms.rest.post(`/connectors/webhooks/${endpoint.id}/test`, {}, tokens['owner@bizoholic.dev'])
    expect(res.status).toBe(202)
    const delivery = await settled(res.body.delivery as number)
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 200, eventType: 'webhook.test' })
    const [got] = (await receiver.waitFor(before + 1)).slice(before)
    expect(got!.verified).toBe(true)
    expect(got!.id).toBe(delivery.eventId)
    // Verified again here, by hand, with the package a receiver would use.
    const verified = new Webhook(endpoint.secret!).verify(got!.body, got!.headers as Record<string, string>)
    expect(verified).toMatchObject({ type: 'webhook.test', tenant: tenants.a, id: delivery.eventId })
    expect(() =>
      new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(
        got!.body,
        got!.headers as Record<string, string>,
      ),
    ).toThrow()
  })

  it('retries a failing receiver with backoff under the same webhook-id, on one delivery row', async () => {
    receiver.secret = endpoint.secret
    receiver.failNext(2, 503)
    const before = receiver.received.length
    const [id] = await emitWebhookEvent(cms.payload, {
      tenant: tenants.a,
      type: 'order.placed',
      data: { order: 'order_1', total: 4200 },
    })
    const retrying = await until('the first failure to be recorded', async () => {
      const row = await deliveryOf(id!)
      return row.status === 'retrying' && row
    })
    expect(retrying).toMatchObject({ attempts: 1, responseStatus: 503 })
    expect(retrying.responseBody).toContain('receiver told to fail')
    expect(new Date(retrying.nextAttemptAt!).getTime()).toBeGreaterThan(Date.now() - 1_000)

    const delivery = await settled(id!)
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 200, nextAttemptAt: null })
    const got = receiver.received.slice(before)
    expect(got.map((r) => r.status)).toEqual([503, 503, 200])
    expect(new Set(got.map((r) => r.id))).toEqual(new Set([delivery.eventId]))
    expect(got.every((r) => r.verified)).toBe(true)
    // Backoff: retryDelay 1 s, then about twice that (pg-boss jitters between half and all of it).
    const gaps = [got[1]!.at.getTime() - got[0]!.at.getTime(), got[2]!.at.getTime() - got[1]!.at.getTime()]
    expect(gaps[0]).toBeGreaterThanOrEqual(450)
    expect(gaps[1]).toBeGreaterThanOrEqual(950)
    const rows = await cms.payload.count({
      collection: 'webhook-deliveries',
      where: { eventId: { equals: delivery.eventId } },
    })
    expect(rows.totalDocs).toBe(1)
  })

  it('redelivers a delivery on request, with the same webhook-id', async () => {
    const [id] = await emitWebhookEvent(cms.payload, { tenant: tenants.a, type: 'order.placed', data: { order: 'o2' } })
    const first = await settled(id!)
    const before = receiver.received.length
    const res = await cms.rest.post(
      `/connectors/webhooks/deliveries/${id}/redeliver`,
      {},
      tokens['owner@bizoholic.dev'],
    )
    expect(res.status).toBe(202)
    await receiver.waitFor(before + 1)
    const again = await until('the redelivery', async () => {
      const row = await deliveryOf(id!)
      return row.status === 'succeeded' && row.attempts === first.attempts + 1 && row
    })
    expect(receiver.received.at(-1)!.id).toBe(again.eventId)
    expect(receiver.received.at(-1)!.verified).toBe(true)
  })

  it('rotates the secret: shown once, and later deliveries are signed with it only', async () => {
    const res = await cms.rest.post(
      `/connectors/webhooks/${endpoint.id}/rotate-secret`,
      {},
      tokens['owner@bizoholic.dev'],
    )
    expect(res.status).toBe(200)
    const secret = res.body.secret as string
    secrets.push(secret)
    expect(secret).toMatch(/^whsec_/)
    expect(secret).not.toBe(endpoint.secret)
    const before = receiver.received.length
    const test = await cms.rest.post(`/connectors/webhooks/${endpoint.id}/test`, {}, tokens['owner@bizoholic.dev'])
    await settled(test.body.delivery as number)
    const [got] = (await receiver.waitFor(before + 1)).slice(before)
    expect(() => new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>)).not.toThrow()
    expect(() => new Webhook(endpoint.secret!).verify(got!.body, got!.headers as Record<string, string>)).toThrow()
    endpoint.secret = secret
  })

  it('marks a delivery failed after its last attempt, and disables the endpoint after failures in a row', async () => {
    const flaky = await createEndpoint('owner@bizoholic.dev', tenants.a, { events: ['post.published'] })
    receiver.failNext(8, 500) // 2 deliveries × 4 attempts
    const ids: (number | string)[] = []
    for (const n of [1, 2]) {
      const [id] = await emitWebhookEvent(cms.payload, { tenant: tenants.a, type: 'post.published', data: { n } })
      ids.push(id!)
      const failed = await until(
        `delivery ${n} to fail`,
        async () => {
          const row = await deliveryOf(id!)
          return row.status === 'failed' && row
        },
        60_000,
      )
      expect(failed).toMatchObject({ attempts: 4, responseStatus: 500 })
    }
    const disabled = await endpointOf(flaky.id)
    expect(disabled).toMatchObject({ enabled: false, failureCount: 2 })
    expect(disabled.disabledAt).toBeTruthy()
    expect(disabled.disabledReason).toContain('2 failed deliveries in a row')
    // A disabled endpoint gets no new deliveries, refuses a test, and enabling it starts afresh.
    expect(await emitWebhookEvent(cms.payload, { tenant: tenants.a, type: 'post.published', data: {} })).toEqual([])
    const test = await cms.rest.post(`/connectors/webhooks/${flaky.id}/test`, {}, tokens['owner@bizoholic.dev'])
    expect(test.status).toBe(409)
    const enabled = await cms.rest.patch(
      `/webhook-endpoints/${flaky.id}`,
      { enabled: true },
      tokens['owner@bizoholic.dev'],
    )
    expect(enabled.status).toBe(200)
    expect(enabled.body.doc).toMatchObject({ enabled: true, failureCount: 0, disabledAt: null, disabledReason: null })
  }, 120_000)
})

describe('tenant isolation', () => {
  let endpointA: EndpointDoc
  let endpointB: EndpointDoc
  let deliveryA: number | string

  beforeAll(async () => {
    endpointA = await createEndpoint('owner@bizoholic.dev', tenants.a)
    endpointB = await createEndpoint('owner@coreldove.dev', tenants.b, { events: ['approval.waiting'] })
    deliveryA = (await emitWebhookEvent(cms.payload, { tenant: tenants.a, type: 'order.placed', data: { o: 1 } }))[0]!
    await settled(deliveryA)
  })

  it("tenant B's admin cannot list, read, test, rotate or redeliver tenant A's endpoints and deliveries", async () => {
    const token = tokens['owner@coreldove.dev']
    const list = await cms.rest.get('/webhook-endpoints?limit=100', token)
    expect(list.status).toBe(200)
    expect(list.body.docs!.map((d) => d.id)).not.toContain(endpointA.id)
    expect(list.body.docs!.map((d) => d.id)).toContain(endpointB.id)
    const deliveries = await cms.rest.get('/webhook-deliveries?limit=100', token)
    expect(deliveries.body.docs!.map((d) => d.id)).not.toContain(deliveryA)
    expect((await cms.rest.get(`/webhook-endpoints/${endpointA.id}`, token)).status).toBe(404)
    expect((await cms.rest.post(`/connectors/webhooks/${endpointA.id}/test`, {}, token)).status).toBe(404)
    expect((await cms.rest.post(`/connectors/webhooks/${endpointA.id}/rotate-secret`, {}, token)).status).toBe(404)
    expect((await cms.rest.post(`/connectors/webhooks/deliveries/${deliveryA}/redeliver`, {}, token)).status).toBe(404)
    // Payload's own REST answers a write outside the caller's access with 403 (as for every collection).
    expect([403, 404]).toContain(
      (await cms.rest.patch(`/webhook-endpoints/${endpointA.id}`, { enabled: false }, token)).status,
    )
    expect([403, 404]).toContain((await cms.rest.delete(`/webhook-endpoints/${endpointA.id}`, token)).status)
    // Nor create one in A.
    const create = await cms.rest.post(
      '/webhook-endpoints',
      { url: receiver.url, events: ['run.finished'], tenant: tenants.a },
      token,
    )
    expect(create.status).toBe(403)
    expect((await endpointOf(endpointA.id)).enabled).toBe(true)
  })

  it('an admin of B who is a manager of A changes B, and only reads A', async () => {
    const token = tokens['mixed@example.dev']
    expect((await cms.rest.post(`/connectors/webhooks/${endpointB.id}/test`, {}, token)).status).toBe(202)
    const readA = await cms.rest.get(`/webhook-endpoints/${endpointA.id}`, token)
    expect(readA.status).toBe(200)
    const deliveries = await cms.rest.get('/webhook-deliveries?limit=100', token)
    expect(deliveries.body.docs!.map((d) => d.id)).toContain(deliveryA)
    const test = await cms.rest.post(`/connectors/webhooks/${endpointA.id}/test`, {}, token)
    expect(test.status).toBe(403)
    expect(test.body.error).toContain('ask a tenant admin')
    expect((await cms.rest.post(`/connectors/webhooks/${endpointA.id}/rotate-secret`, {}, token)).status).toBe(403)
    expect((await cms.rest.post(`/connectors/webhooks/deliveries/${deliveryA}/redeliver`, {}, token)).status).toBe(403)
    expect((await cms.rest.patch(`/webhook-endpoints/${endpointA.id}`, { enabled: false }, token)).status).toBe(403)
  })

  it('clients see no endpoints; anonymous callers are told to sign in', async () => {
    const list = await cms.rest.get('/webhook-endpoints', tokens['client@bizoholic.dev'])
    expect(list.status === 403 || list.body.docs?.length === 0).toBe(true)
    expect((await cms.rest.post(`/connectors/webhooks/${endpointA.id}/test`, {})).status).toBe(401)
    expect((await cms.rest.post('/connectors/webhooks/abc!/test', {}, tokens['owner@bizoholic.dev'])).status).toBe(400)
  })
})

describe('SSRF guard', () => {
  it('knows public from private addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.1',
      '172.16.5.5',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ])
      expect(isNonPublicAddress(a), a).toBe(true)
    for (const a of ['93.184.216.34', '2606:4700::1111']) expect(isNonPublicAddress(a), a).toBe(false)
  })

  it('in production refuses 127.0.0.1 and names that resolve to it, at save time and at delivery', async () => {
    const production = { ...webhooksConfigOf(cms.payload), production: () => true }
    const before = receiver.received.length
    for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost')]) {
      const result = await postWebhook(production, url, {}, '{}')
      expect(result.status).toBeUndefined()
      expect(result.error).toMatch(/private or local/)
      expect(result.permanent).toBe(true)
    }
    expect(receiver.received.length).toBe(before)
    // An allow-listed host is let through.
    const allowed = await postWebhook({ ...production, allowPrivateHosts: ['127.0.0.1'] }, receiver.url, {}, '{}')
    expect(allowed.status).toBe(200)

    const env = process.env as Record<string, string | undefined>
    const was = env.NODE_ENV
    env.NODE_ENV = 'production'
    try {
      for (const url of ['https://127.0.0.1/hook', 'https://localhost/hook', 'https://10.0.0.8/hook', receiver.url]) {
        const res = await cms.rest.post(
          '/webhook-endpoints',
          { url, events: ['run.finished'], tenant: tenants.a },
          tokens['owner@bizoholic.dev'],
        )
        expect(res.status, url).toBe(400)
      }
    } finally {
      env.NODE_ENV = was
    }
  })
})

describe('event sources', () => {
  it('a finished agent run reaches an endpoint subscribed to run.finished, once', async () => {
    const endpoint = await createEndpoint('owner@coreldove.dev', tenants.b, { events: ['run.finished'] })
    receiver.secret = endpoint.secret
    agents = await startAgentsWorker(cms.payload, { concurrency: 2 })
    const started = await startRun(cms.payload, {
      agent: noteAgent.slug,
      input: { topic: 'webhooks' },
      tenant: tenants.b,
      trigger: { kind: 'manual' },
    })
    const runId = started.run.runId
    const got = await until('run.finished at the receiver', async () =>
      receiver.received.find((r) => (r.json as { data?: { runId?: string } })?.data?.runId === runId),
    )
    expect(got.verified).toBe(true)
    expect(got.json).toMatchObject({
      type: 'run.finished',
      tenant: tenants.b,
      data: { runId, agent: noteAgent.slug, status: 'succeeded' },
    })
    expect(got.id).toBe(`evt_run_${runId}_finished`)
    await new Promise((r) => setTimeout(r, 1_000))
    const rows = await sql.query('SELECT status, attempts FROM webhook_deliveries WHERE event_id = $1', [got.id])
    expect(rows.rows).toEqual([{ status: 'succeeded', attempts: '1' }])
    expect(receiver.received.filter((r) => r.id === got.id)).toHaveLength(1)
  })

  it('publishing a post emits post.published in its tenant', async () => {
    const endpoint = await createEndpoint('owner@coreldove.dev', tenants.b, { events: ['post.published'] })
    receiver.secret = endpoint.secret
    const post = await cms.payload.create({
      collection: 'posts',
      data: { title: 'Hello webhooks', content: lexicalParagraphs('Hi'), tenant: tenants.b, _status: 'draft' } as never,
      draft: true,
      overrideAccess: true,
    })
    await cms.payload.update({
      collection: 'posts',
      id: post.id,
      data: { _status: 'published' } as never,
      overrideAccess: true,
    })
    const got = await until('post.published at the receiver', async () =>
      receiver.received.find(
        (r) =>
          (r.json as { type?: string; data?: { id?: number } })?.type === 'post.published' &&
          (r.json as { data: { id: number } }).data.id === post.id,
      ),
    )
    expect(got.verified).toBe(true)
    expect(got.json).toMatchObject({ tenant: tenants.b, data: { collection: 'posts', title: 'Hello webhooks' } })
  })
})

describe('secrets', () => {
  it('never appear in a log line or an audit entry', async () => {
    expect(secrets.length).toBeGreaterThan(3)
    const audit = JSON.stringify((await sql.query('SELECT * FROM audit_log')).rows)
    expect(audit).toContain('webhook-endpoints')
    for (const secret of secrets) {
      expect(logged.join('\n')).not.toContain(secret.slice(6))
      expect(audit).not.toContain(secret.slice(6))
    }
  })
})
