/**
 * Logs and metrics of the CMS and its worker, on one real CMS (Payload on PostgreSQL, real pg-boss, the
 * real OpenAI SDK against the mock LLM). A request id follows an agent run from the CMS request that
 * starts it to the worker that runs it: a REST request with `x-request-id`, the run's pg-boss job keeping
 * it as `requestId`, and a worker — a second Payload instance logging as `worker` — whose lines for that
 * job carry it as `reqId` (both services' pino lines captured from their destinations). Then `/metrics` of
 * the CMS (over real HTTP) and of the worker's HTTP server parse and show the traffic and runs just made.
 */
import { Writable } from 'node:stream'
import { defineAgent } from '@bizosaas/agents'
import { queueName } from '@bizosaas/agents/queue'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { histogramCount, parseMetrics, sampleValue } from '@bizosaas/observability/testing'
import { type AgentsWorker, registerAgents, startAgentsWorker } from '@bizosaas/plugin-agents'
import { until } from '@bizosaas/scripts/test/until'
import type { Config, Payload } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DEMO_PASSWORD, seed } from '../seed/index.ts'
import { startTestCms, type TestCms } from '../test/harness.ts'
import { type PayloadRestServer, servePayloadRest } from '../test/rest-server.ts'
import { cmsMetricsRoute, platformMetricsHandler } from './metrics.ts'
import { startWorkerServer, type WorkerServer } from './worker-server.ts'

type Line = Record<string, unknown> & { msg?: string; reqId?: string; service?: string }

function logCapture() {
  const lines: Line[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Line)
      done()
    },
  })
  return { lines, stream }
}

const noteAgent = defineAgent({
  slug: 'traced-note',
  description: 'Writes a short note (test agent)',
  input: z.object({ note: z.string().describe('What to write about') }),
  output: z.object({ text: z.string().describe('The note') }),
  instructions: 'Write the note.',
  prompt: (input) => `Traced note: ${input.note}`,
  model: 'openai:gpt-4.1-mini',
})
const testAgents = (config: Config) => registerAgents(config, [{ agent: noteAgent }])

const cmsLogs = logCapture()
const workerLogs = logCapture()
let cms: TestCms
let workerPayload: Payload
let worker: AgentsWorker | undefined
let mock: MockLLM
let token: string
let finishedRunId: string
let tenant: number

beforeAll(async () => {
  mock = await startMockLLM({ script: [{ match: /Traced note/, reply: { json: { text: 'A note' } } }] })
  process.env.OPENAI_API_KEY = 'test-key'
  process.env.OPENAI_BASE_URL = mock.openaiBaseURL
  cms = await startTestCms('obs_request_id', { plugins: [testAgents], logDestination: cmsLogs.stream })
  await seed(cms.payload)
  // The worker: its own Payload on the same database, logging as `worker`, as `pnpm worker` does.
  const { cmsConfig } = await import('../config.ts')
  const { buildConfig, getPayload } = await import('payload')
  const workerConfig = await buildConfig(
    cmsConfig({ plugins: [testAgents], service: 'worker', logDestination: workerLogs.stream }),
  )
  workerPayload = await getPayload({ config: workerConfig, key: 'obs-worker' })
})

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  if (workerPayload) {
    // Payload's destroy leaves its pg pool open (see the harness's close): end it before the database goes.
    const pool = (workerPayload.db as unknown as { pool?: pg.Pool }).pool
    await workerPayload.destroy()
    // It keeps one client for good; the others are ended, and the drop of the database ends that one.
    pool?.on('error', () => {})
    void pool?.end().catch(() => {})
    for (let i = 0; i < 60 && (pool?.totalCount ?? 0) > 1; i++) await new Promise((r) => setTimeout(r, 50))
  }
  await cms?.close()
  await mock?.close()
})

describe('request id from the CMS into the worker', () => {
  it('appears in the CMS log of the request, the job data and the worker log of that job', async () => {
    const reqId = `obs-test-${crypto.randomUUID()}`
    token = await cms.login('manager@bizoholic.dev', DEMO_PASSWORD)
    const response = await cms.rest.send(
      new Request('http://localhost/api/agents/traced-note/runs', {
        method: 'POST',
        headers: { authorization: `JWT ${token}`, 'content-type': 'application/json', 'x-request-id': reqId },
        body: JSON.stringify({ input: { note: 'tracing' } }),
      }),
    )
    expect(response.status).toBe(202)
    expect(response.headers.get('x-request-id')).toBe(reqId)
    const { runId } = (await response.json()) as { runId: string }

    // The CMS logged the queued run with the request's id and tenant.
    const queued = cmsLogs.lines.find((l) => l.msg === 'agent runs queued' && l.reqId === reqId)
    expect(queued).toMatchObject({ service: 'cms', agent: 'traced-note', runs: [runId], level: 'info' })
    expect(queued?.tenant).toMatch(/^\d+$/)
    tenant = Number(queued!.tenant)

    // The job keeps it.
    const db = new pg.Client({ connectionString: cms.db.url })
    await db.connect()
    const { rows } = await db
      .query(`SELECT id, data FROM pgboss.job WHERE name = $1 AND data->>'runId' = $2`, [
        queueName('traced-note'),
        runId,
      ])
      .finally(() => db.end())
    const job = rows[0] as { id: string; data: { requestId?: string } } | undefined
    expect(job?.data.requestId).toBe(reqId)

    // The worker logs that job's lines with it.
    worker = await startAgentsWorker(workerPayload, { concurrency: 1 })
    const finished = await until('the worker to log the finished run', async () =>
      workerLogs.lines.find((l) => l.msg === 'agent run finished' && l.runId === runId),
    )
    expect(finished).toMatchObject({ service: 'worker', reqId, jobId: job!.id, tenant: queued!.tenant })
    expect(workerLogs.lines.find((l) => l.msg === 'agent run started' && l.runId === runId)?.reqId).toBe(reqId)
    finishedRunId = runId
    // …and the CMS's own lines never claim the worker's work.
    expect(cmsLogs.lines.some((l) => l.msg === 'agent run started' && l.runId === runId)).toBe(false)
  })

  it('gives a request without a usable id a fresh one, on the response and in the logs', async () => {
    const response = await cms.rest.send(
      new Request('http://localhost/api/agents/traced-note/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'not a usable id' },
        body: JSON.stringify({ input: { note: 'anonymous' } }),
      }),
    )
    expect(response.status).toBe(401)
    const id = response.headers.get('x-request-id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('/metrics', () => {
  let rest: PayloadRestServer | undefined
  let workerServer: WorkerServer | undefined
  let started = true
  afterAll(async () => {
    await rest?.close()
    await workerServer?.close()
  })

  it('the CMS: Prometheus text with HTTP latency by route for the traffic just made, runs, tokens and cost', async () => {
    const metrics = cmsMetricsRoute(cms.config)
    // Real HTTP to the CMS's API (node:http), so the latency histogram sees it.
    rest = await servePayloadRest(cms.config)
    const [run] = (await cms.payload.find({ collection: 'agent-runs', where: { runId: { equals: finishedRunId } } }))
      .docs as { id: number }[]
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${rest.url}/api/agent-runs/${run!.id}?depth=0`, {
        headers: { authorization: `JWT ${token}` },
      })
      expect(res.status).toBe(200)
    }
    const res = await metrics(new Request('http://cms/metrics'))
    expect(res.status).toBe(200)
    const families = parseMetrics(await res.text())
    const duration = 'http_server_request_duration_seconds'
    expect(
      histogramCount(families, duration, { route: '/api/agent-runs/:id', method: 'GET', status_code: '200' }),
    ).toBe(3)
    for (const family of ['bizosaas_queue_jobs', `${duration}_count`])
      expect(families.get(family)!.metrics.every((m) => !/\d{2,}|\?/.test(m.labels?.route ?? ''))).toBe(true)
    expect(sampleValue(families, 'bizosaas_agent_runs', { agent: 'traced-note', status: 'succeeded' })).toBe(1)
    expect(sampleValue(families, 'bizosaas_model_tokens', { provider: 'openai', kind: 'input' })).toBeGreaterThan(0)
    expect(sampleValue(families, 'bizosaas_model_calls', { provider: 'openai', outcome: 'ok' })).toBeGreaterThanOrEqual(
      1,
    )
    expect(families.get('bizosaas_model_cost_usd')?.metrics.some((m) => m.labels?.provider === 'openai')).toBe(true)
    expect(sampleValue(families, 'bizosaas_metrics_database_up')).toBe(1)
    expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  it('the worker: live, ready and metrics on its port, with queue depth, oldest job age and sync failures', async () => {
    await worker?.stop({ graceMs: 2_000 })
    worker = undefined
    // A queued run nobody works yet, and a product whose Medusa sync failed.
    const queued = await cms.rest.post('/agents/traced-note/runs', { input: { note: 'waiting' } }, token)
    expect(queued.status).toBe(202)
    const db = new pg.Client({ connectionString: cms.db.url })
    await db.connect()
    await db
      .query(
        `INSERT INTO product_content (tenant_id, title, medusa_product_id, sync_state, sync_error)
         VALUES ($1, 'Broken product', 'prod_obs_test', 'failed', 'Medusa answered 500')`,
        [tenant],
      )
      .finally(() => db.end())

    workerServer = await startWorkerServer(workerPayload, { port: 0, host: '127.0.0.1', started: () => started })
    const live = await fetch(`${workerServer.url}/health/live`)
    expect(live.status).toBe(200)
    expect(await live.json()).toMatchObject({ status: 'ok', service: 'worker' })
    const ready = await fetch(`${workerServer.url}/health/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true }, queue: { ok: true } } })
    started = false
    const stopping = await fetch(`${workerServer.url}/health/ready`)
    expect(stopping.status).toBe(503)
    expect(await stopping.json()).toMatchObject({ status: 'unavailable', checks: { queue: { ok: false } } })

    await new Promise((r) => setTimeout(r, 1_100))
    const res = await fetch(`${workerServer.url}/metrics`)
    expect(res.status).toBe(200)
    const families = parseMetrics(await res.text())
    expect(sampleValue(families, 'bizosaas_queue_jobs', { queue: 'agent.traced-note', state: 'created' })).toBe(1)
    expect(
      sampleValue(families, 'bizosaas_queue_oldest_job_age_seconds', { queue: 'agent.traced-note' }),
    ).toBeGreaterThanOrEqual(1)
    expect(sampleValue(families, 'bizosaas_agent_runs', { agent: 'traced-note', status: 'queued' })).toBe(1)
    expect(sampleValue(families, 'bizosaas_medusa_sync_failed_products', { tenant: String(tenant) })).toBe(1)
    expect(histogramCount(families, 'http_server_request_duration_seconds', { route: '/health/ready' })).toBe(2)
    expect((await fetch(`${workerServer.url}/nothing`)).status).toBe(404)
  })

  it('still answers, with bizosaas_metrics_database_up 0, when the database cannot be read', async () => {
    const metrics = platformMetricsHandler(
      async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432')
      },
      { cacheMs: 0 },
    )
    const res = await metrics(new Request('http://cms/metrics'))
    expect(res.status).toBe(200)
    const families = parseMetrics(await res.text())
    expect(sampleValue(families, 'bizosaas_metrics_database_up')).toBe(0)
    expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  it('answers 401 without the bearer token when METRICS_TOKEN is set', async () => {
    process.env.METRICS_TOKEN = 'obs-metrics-token'
    try {
      const metrics = platformMetricsHandler(async () => cms.payload, { cacheMs: 0 })
      expect((await metrics(new Request('http://cms/metrics'))).status).toBe(401)
      const wrong = await metrics(new Request('http://cms/metrics', { headers: { authorization: 'Bearer nope' } }))
      expect(wrong.status).toBe(401)
      const ok = await metrics(
        new Request('http://cms/metrics', { headers: { authorization: 'Bearer obs-metrics-token' } }),
      )
      expect(ok.status).toBe(200)
      expect(parseMetrics(await ok.text()).has('bizosaas_agent_runs')).toBe(true)
    } finally {
      delete process.env.METRICS_TOKEN
    }
  })
})
