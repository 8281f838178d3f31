/**
 * Heartbeats and alerts against a real PostgreSQL (the CMS harness's migrated database), real pg-boss
 * queues, a real SMTP server (smtp-server) receiving the admins' email, and a real HTTP webhook receiver.
 */
import { spawn } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { readWorkers } from '@bizosaas/contracts/platform-state'
import { until } from '@bizosaas/scripts/test/until'
import pg from 'pg'
import { PgBoss } from 'pg-boss'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCms, type TestCms } from '../test/harness.ts'
import { checkAlerts } from './alerts.ts'
import { startHeartbeat } from './heartbeat.ts'
import { ALERTS_QUEUE, startOps } from './index.ts'
import { signBody } from './notify.ts'
import { type AlertSettings, readAlertSettings } from './settings.ts'

const WEBHOOK_SECRET = 'ops-test-webhook-secret-0123456789'
let cms: TestCms
let pool: pg.Pool
let boss: PgBoss
let smtp: SMTPServer
let webhook: http.Server
const mails: { to: string[]; raw: string }[] = []
const posts: { body: { notices: { event: string; key: string; summary: string }[] }; signed: boolean }[] = []
let settings: AlertSettings

beforeAll(async () => {
  cms = await startTestCms('ops')
  pool = new pg.Pool({ connectionString: cms.db.url, max: 4 })
  boss = new PgBoss({ connectionString: cms.db.url, max: 2 })
  await boss.start()
  await cms.payload.create({
    collection: 'users',
    data: { email: 'ops-admin@example.com', password: 'ops-admin-password-1', roles: ['super-admin'] } as never,
  })
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = ''
      stream.on('data', (d) => (raw += d))
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  webhook = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      posts.push({
        body: JSON.parse(body),
        signed: req.headers['x-bizosaas-signature'] === signBody(body, WEBHOOK_SECRET),
      })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve))
  const smtpPort = (smtp.server.address() as AddressInfo).port
  settings = {
    ...readAlertSettings({
      ALERT_QUEUE_AGE_SECONDS: '1',
      ALERT_FAILED_RUNS: '3',
      ALERT_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      ALERT_FROM: 'Alerts <alerts@bizosaas.test>',
      ALERT_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`,
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    }),
    heartbeatIntervalMs: 200,
  }
})

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true } as never)
  await pool?.end()
  smtp?.close()
  webhook?.close()
  await cms?.close()
})

const query = (text: string, values?: unknown[]) => pool.query(text, values)

describe('heartbeat', () => {
  it('upserts a row every interval with kind, host, pid, version and queues, and deletes it on stop', async () => {
    const heartbeat = await startHeartbeat(query, { kind: 'cms', version: '9.9.9', intervalMs: 100 })
    const [first] = (await readWorkers(query, { intervalMs: 100 })).filter((w) => w.id === heartbeat.id)
    expect(first).toMatchObject({ kind: 'cms', pid: process.pid, version: '9.9.9', missing: false })
    await until('a later beat', async () => {
      const row = (await readWorkers(query)).find((w) => w.id === heartbeat.id)
      return row && row.beatAt > first!.beatAt
    })
    await heartbeat.stop()
    expect((await readWorkers(query)).find((w) => w.id === heartbeat.id)).toBeUndefined()
  })

  it('shows a crashed worker (SIGKILL) as missing after 3 intervals', async () => {
    // One process (node with tsx's loader), so SIGKILL hits the process that beats.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/beating-worker.ts'), cms.db.url, '100'],
      { cwd: path.resolve(import.meta.dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    const id = await until('the worker to beat', async () => /beating (\S+)/.exec(out)?.[1], 30_000)
    child.kill('SIGKILL')
    const worker = await until('the worker to be missing', async () =>
      (await readWorkers(query, { intervalMs: 100 })).find((w) => w.id === id && w.missing),
    )
    expect(worker.pid).toBe(child.pid)
    // The next worker to start on this host sees that process is gone and forgets its row.
    const next = await startHeartbeat(query, { kind: 'worker', version: 'test', intervalMs: 100 })
    const ids = (await readWorkers(query)).map((w) => w.id)
    expect(ids).toContain(next.id)
    expect(ids).not.toContain(id)
    await next.stop()
  })
})

describe('alerts', () => {
  const keys = (i: number) => posts[i]!.body.notices.map((n) => `${n.event} ${n.key}`).sort()

  it('notifies a persisting incident once (email to the super-admins, signed webhook), then its end once', async () => {
    await boss.createQueue('ops-test.work.dead')
    await boss.createQueue('ops-test.work', { deadLetter: 'ops-test.work.dead' })
    await boss.send('ops-test.work', { n: 1 })
    await boss.send('ops-test.work.dead', { n: 2 })
    await new Promise((r) => setTimeout(r, 1_500)) // older than ALERT_QUEUE_AGE_SECONDS=1
    for (let i = 0; i < 3; i++) await checkAlerts(pool, settings)
    expect(mails).toHaveLength(1)
    expect(mails[0]!.to).toEqual(['ops-admin@example.com'])
    expect(mails[0]!.raw).toContain('ops-test.work')
    expect(posts).toHaveLength(1)
    expect(posts[0]!.signed).toBe(true)
    expect(keys(0)).toEqual(['opened dead-letters:ops-test.work', 'opened queue-age:ops-test.work'])

    // Both conditions end: one notice of their end, then silence.
    await boss.deleteAllJobs('ops-test.work')
    await boss.deleteAllJobs('ops-test.work.dead')
    for (let i = 0; i < 2; i++) await checkAlerts(pool, settings)
    expect(posts).toHaveLength(2)
    expect(keys(1)).toEqual(['resolved dead-letters:ops-test.work', 'resolved queue-age:ops-test.work'])
    expect(mails).toHaveLength(2)
  })

  it('sends one notice when two checkers (separate connections) see a new incident at once', async () => {
    const tenant = await cms.payload.create({
      collection: 'tenants',
      data: { name: 'Ops Tenant', slug: 'ops-tenant' } as never,
    })
    for (let i = 0; i < 3; i++)
      await query(
        `INSERT INTO agent_runs (tenant_id, run_id, agent, status, finished_at) VALUES ($1, $2, 'seo-meta', 'failed', now())`,
        [tenant.id, `ops-run-${i}`],
      )
    const other = new pg.Pool({ connectionString: cms.db.url, max: 2 })
    try {
      const results = await Promise.all([checkAlerts(pool, settings), checkAlerts(other, settings)])
      expect(results.map((r) => r.notified.length).sort()).toEqual([0, 1])
    } finally {
      await other.end()
    }
    expect(posts).toHaveLength(3)
    expect(keys(2)).toEqual([`opened failed-runs:${tenant.id}`])
    expect(posts[2]!.body.notices[0]!.summary).toContain('ops-tenant: 3 agent runs failed')
    expect(mails).toHaveLength(3)
  })

  it('runs as the ops.alerts job of a worker process (startOps), and reports a missing worker', async () => {
    Object.assign(process.env, { ALERT_WEBHOOK_URL: settings.webhookUrl })
    const ops = await startOps(cms.payload, { kind: 'worker', intervalMs: 100, pollingIntervalSeconds: 0.5 })
    try {
      // A worker that stopped beating without deleting its row (a crash).
      await query(
        `INSERT INTO worker_heartbeats (id, kind, host, pid, version, beat_at) VALUES ('gone:1', 'worker', 'gone', 1, 'x', now() - interval '1 hour')`,
      )
      await boss.send(ALERTS_QUEUE, {})
      await until('the job to notify', async () => posts.length === 4, 30_000)
      expect(keys(3)).toContain('opened worker-missing:gone:1')
      // Notified and long gone: its row is forgotten, and the next check ends the incident.
      expect((await readWorkers(query)).find((w) => w.id === 'gone:1')).toBeUndefined()
    } finally {
      await ops.stop({ graceMs: 1_000 })
    }
    expect((await readWorkers(query)).find((w) => w.id === ops.heartbeat.id)).toBeUndefined()
  })
})
