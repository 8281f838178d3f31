/** A worker killed mid-run (`kill -9`): the run is retried by another worker and finishes once. */
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { type AgentsWorker, startAgentsWorker } from '@bizosaas/plugin-agents'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CRASH_QUEUE } from './fixtures/crash-queue.ts'
import { titleScript } from './fixtures/mock-title-model.ts'
import { exampleAgentPlugin } from './index.ts'

const repoRoot = path.resolve(import.meta.dirname, '../../..')
let cms: TestCms
let mock: MockLLM
let child: ChildProcess | undefined
let worker: AgentsWorker | undefined

beforeAll(async () => {
  // The first model call hangs long enough to kill the worker that made it.
  mock = await startMockLLM({ script: titleScript({ slowFirstCallMs: 15_000 }) })
  process.env.OPENAI_API_KEY = 'test-key'
  process.env.OPENAI_BASE_URL = mock.openaiBaseURL
  cms = await startTestCms('worker_crash', { plugins: [exampleAgentPlugin()], agents: { queue: CRASH_QUEUE } })
  await seed(cms.payload)
})

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL')
  await worker?.stop({ graceMs: 1_000 })
  await cms?.close()
  await mock?.close()
})

it('retries the run of a killed worker and finishes it exactly once', async () => {
  let output = ''
  // node itself (not the tsx launcher, which would outlive a kill of its parent) is the worker process.
  child = spawn(process.execPath, ['--import', 'tsx', 'plugins/example-agent/src/fixtures/worker-process.ts'], {
    cwd: repoRoot,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  await until(
    'the child worker',
    async () => output.includes('worker ready') || (child!.exitCode !== null && Promise.reject(new Error(output))),
    120_000,
  )

  const token = await cms.login('manager@bizoholic.dev', DEMO_PASSWORD)
  const post = (
    await cms.payload.find({
      collection: 'posts',
      limit: 1,
      depth: 0,
      where: { 'tenant.slug': { equals: 'bizoholic' } },
    })
  ).docs[0]!
  const res = await cms.rest.post(
    '/agents/post-title/runs',
    { input: { target: { collection: 'posts', id: post.id } } },
    token,
  )
  expect(res.status).toBe(202)
  const runId = res.body.runId as string
  const row = () =>
    cms.payload
      .find({ collection: 'agent-runs', where: { runId: { equals: runId } }, limit: 1, depth: 0 })
      .then((r) => r.docs[0]!)

  // The child is mid-run: it started the run and its model call is hanging.
  await until(
    'the child to call the model',
    async () =>
      mock.requests.some((r) => r.prompt.includes(`Retitle post ${post.id}`)) && (await row()).status === 'running',
  )
  child.kill('SIGKILL')
  await new Promise((r) => child!.once('exit', r))

  worker = await startAgentsWorker(cms.payload, { concurrency: 2 })
  await until('the retried run to finish', async () => (await row()).status === 'awaiting-approval', 60_000)
  const run = await row()
  // At least the killed attempt and the one that finished (a slow machine may expire one more).
  expect(run.attempt).toBeGreaterThanOrEqual(2)
  const approvals = await cms.payload.count({ collection: 'approvals', where: { runId: { equals: runId } } })
  expect(approvals.totalDocs).toBe(1)
  // The killed attempt's model call never finished; only finished calls are recorded.
  const calls = await cms.payload.find({
    collection: 'agent-steps',
    where: { and: [{ runId: { equals: runId } }, { kind: { equals: 'model-call' } }] },
    depth: 0,
  })
  const titleRequests = mock.requests.filter((r) => r.prompt.includes('Retitle post')).length
  expect(calls.totalDocs).toBe(titleRequests - 1)
}, 240_000)
