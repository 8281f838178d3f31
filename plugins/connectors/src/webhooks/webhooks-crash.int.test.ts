/**
 * A delivery worker killed (`kill -9`) mid-POST: the receiver already has the request, the worker never
 * recorded the answer. pg-boss expires the job and another worker delivers it again — at least once, not
 * exactly once — with the same `webhook-id`, so the receiver can drop the duplicate; the row ends
 * `succeeded` with both attempts counted, and nothing is sent a third time.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startWebhookReceiver, type WebhookReceiver } from '../testing/index.ts'
import { CRASH_WEBHOOKS } from './fixtures/crash-options.ts'
import { emitWebhookEvent, startWebhookWorker, stopWebhookBoss, type WebhookWorker } from './index.ts'

process.env.VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`
const repoRoot = path.resolve(import.meta.dirname, '../../../..')
let cms: TestCms
let receiver: WebhookReceiver
let child: ChildProcess | undefined
let worker: WebhookWorker | undefined

beforeAll(async () => {
  receiver = await startWebhookReceiver()
  cms = await startTestCms('webhooks_crash', { webhooks: CRASH_WEBHOOKS })
  await seed(cms.payload)
})

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL')
  await worker?.stop({ graceMs: 1_000 })
  await stopWebhookBoss(cms.payload)
  await receiver?.close()
  await cms?.close()
})

it('delivers again after a kill -9 mid-POST, under the same webhook-id, and then never again', async () => {
  const token = await cms.login('owner@bizoholic.dev', DEMO_PASSWORD)
  const tenant = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } } })).docs[0]!
    .id as number
  const created = await cms.rest.post(
    '/webhook-endpoints',
    { url: receiver.url, events: ['order.placed'], tenant },
    token,
  )
  expect(created.status).toBe(201)
  receiver.secret = (created.body.doc as { secret: string }).secret

  let output = ''
  // node itself (not the tsx launcher, which would outlive a kill of its parent) is the worker process.
  child = spawn(process.execPath, ['--import', 'tsx', 'plugins/connectors/src/webhooks/fixtures/worker-process.ts'], {
    cwd: repoRoot,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  await until(
    'the child worker',
    async () =>
      output.includes('webhook worker ready') || (child!.exitCode !== null && Promise.reject(new Error(output))),
    120_000,
  )

  // The receiver holds the first POST open; the child is killed while it waits for the answer.
  receiver.slowNext(1, 30_000)
  const [id] = await emitWebhookEvent(cms.payload, { tenant, type: 'order.placed', data: { order: 'order_crash' } })
  await receiver.waitFor(1, 30_000)
  child.kill('SIGKILL')
  await new Promise((r) => child!.once('exit', r))

  worker = await startWebhookWorker(cms.payload, { pollingIntervalSeconds: 0.5 })
  const row = await until(
    'the delivery to succeed after the crash',
    async () => {
      const doc = (await cms.payload.findByID({ collection: 'webhook-deliveries', id: id!, depth: 0 })) as unknown as {
        status: string
        attempts: number
        eventId: string
      }
      return doc.status === 'succeeded' && doc
    },
    90_000,
  )
  // Both attempts on the row: the killed one was counted before its POST.
  expect(row.attempts).toBe(2)
  await new Promise((r) => setTimeout(r, 3_000))
  expect(receiver.received).toHaveLength(2)
  expect(receiver.received.map((r) => r.id)).toEqual([row.eventId, row.eventId])
  expect(receiver.received.every((r) => r.verified)).toBe(true)
  expect(receiver.received.map((r) => (r.json as { data: unknown }).data)).toEqual([
    { order: 'order_crash' },
    { order: 'order_crash' },
  ])
}, 240_000)
