/**
 * The production smoke test: the real `pnpm start` (its own process group, free ports, a fresh
 * DATA_DIR, two workers) with the shared production builds. Every service answers; a shopper orders on
 * the storefront in Chromium; an agent run started in the portal by a tenant admin is executed by a
 * worker process — shown by holding the workers (the run waits) and then freezing the CMS (the run
 * still completes) — and approved, and the approved change is applied by a worker; Ctrl-C stops it all,
 * leaving no process of its tree or its process groups behind.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, readlinkSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DEMO_PASSWORD } from '@bizosaas/contracts/demo'
import { histogramCount, parseMetrics, sampleValue } from '@bizosaas/observability/testing'
import pg from 'pg'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './lib/browser.ts'
import { repoRoot } from './lib/env.ts'
import { freePort, portInUse } from './lib/ports.ts'
import { allProcesses, type ProcessInfo, processTree } from './lib/process-tree.ts'
import { apiToken } from './test/admin-agents.ts'

const WORKERS = 2
const pnpmBin = process.env.npm_execpath?.includes('pnpm') ? process.env.npm_execpath : 'pnpm'

let start: ChildProcess
let output = ''
let exited: Promise<number | null>
let dataDir: string
let browser: Browser | undefined
const ports: Record<string, number> = {}
const cms = () => `http://localhost:${ports.CMS_PORT}`
const portal = () => `http://localhost:${ports.PORTAL_PORT}`
/** The CoreLDove shop in Chromium (which resolves *.localhost to this machine). */
const shop = (p: string) => `http://coreldove.localhost:${ports.STOREFRONT_PORT}${p}`
const db = (name: string) => `postgres://postgres:postgres@127.0.0.1:${ports.EMBEDDED_POSTGRES_PORT}/${name}`

/** Polls `fn` until it gives a value; gives up early when `pnpm start` exits, unless told it may. */
async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  { afterExit = false } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await fn().catch(() => undefined)
    if (value !== undefined) return value
    if (!afterExit && start.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`timed out waiting for ${what}; pnpm start's output ends:\n${output.slice(-6000)}`)
}

async function query<T extends pg.QueryResultRow>(database: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: db(database) })
  await client.connect()
  try {
    return (await client.query<T>(sql, params)).rows
  } finally {
    await client.end()
  }
}

/** The processes of `pnpm start`'s tree whose command line matches. */
const running = (pattern: RegExp): ProcessInfo[] => processTree(start.pid!).filter((p) => pattern.test(p.command))

/** SIGSTOP / SIGCONT to whole process groups (a service and what it forked). */
const signalGroups = (leaders: ProcessInfo[], signal: NodeJS.Signals) => {
  for (const pgid of new Set(leaders.map((p) => p.pgid))) process.kill(-pgid, signal)
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-start-'))
  // embedded-postgres runs as the `postgres` user and must reach its data folder.
  await chmod(dataDir, 0o755)
  for (const key of [
    'CMS_PORT',
    'STOREFRONT_PORT',
    'PORTAL_PORT',
    'COMMERCE_PORT',
    'COMMERCE_WORKER_PORT',
    'EMBEDDED_POSTGRES_PORT',
    'EMBEDDED_REDIS_PORT',
    'MOCK_LLM_PORT',
    'MOCK_OAUTH_PORT',
    'MOCK_GOOGLE_PORT',
    'MOCK_WEBHOOKS_PORT',
    'MOCK_SMTP_PORT',
  ])
    ports[key] = await freePort()
  // Workers take WORKER_PORT + i: two free ports in a row.
  for (let port = await freePort(); ; port = await freePort())
    if (!(await portInUse(port + 1))) {
      ports.WORKER_PORT = port
      break
    }
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, WORKERS: String(WORKERS) }
  for (const [key, port] of Object.entries(ports)) env[key] = String(port)
  // A fresh machine: no settings of the caller's leak in.
  for (const key of [
    'DATABASE_URL',
    'COMMERCE_DATABASE_URL',
    'REDIS_URL',
    'PAYLOAD_SECRET',
    'MEDIA_DIR',
    'OPENAI_API_KEY',
    'ANTHROPIC_API_KEY',
    'MOCK_LLM_URL',
    'SMTP_URL',
    'MAIL_FROM',
    'NODE_ENV',
    'MEDUSA_API_KEY',
    'MEDUSA_API_KEY_FILE',
    'REVALIDATE_SECRET',
    'STOREFRONT_URL',
    'VAULT_KEYS',
    'VAULT_KEY',
  ])
    delete env[key]
  // Its own process group, as a terminal runs it: Ctrl-C is SIGINT to that group.
  start = spawn(pnpmBin!, ['start'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  start.stdout!.on('data', (d) => (output += d))
  start.stderr!.on('data', (d) => (output += d))
  exited = new Promise((resolve) => start.on('exit', (code) => resolve(code)))
  await until(
    'the banner',
    async () => (output.includes('BizOSaaS (production build) is running') ? true : undefined),
    1_200_000,
  )
  browser = await launchChromium()
}, 1_260_000)

afterAll(async () => {
  await browser?.close()
  if (start?.pid && start.exitCode === null) {
    // A test failed before the Ctrl-C test: stop it as Ctrl-C would, then SIGKILL whatever process group of
    // its tree is left (each service leads its own group, so killing pnpm's group alone would orphan them).
    const groups = new Set(processTree(start.pid).map((p) => p.pgid))
    try {
      process.kill(-start.pid, 'SIGINT')
    } catch {}
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline && allProcesses().some((p) => groups.has(p.pgid)))
      await new Promise((r) => setTimeout(r, 500))
    for (const pgid of groups)
      try {
        process.kill(-pgid, 'SIGKILL')
      } catch {}
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
}, 90_000)

describe('pnpm start (production build)', () => {
  it('runs every service from its build and answers on each', async () => {
    const startMs = Number(output.match(/healthy after ([\d.]+) s/)?.[1])
    console.info(`[start] pnpm start healthy after ${startMs} s`)
    // CMS readiness (its database), Medusa's server and worker, the shop and the portal.
    const health = await fetch(`${cms()}/api/health`)
    expect(health.status).toBe(200)
    expect(health.headers.get('cache-control')).toMatch(/no-store/)
    expect((await fetch(`http://localhost:${ports.COMMERCE_PORT}/health`)).status).toBe(200)
    expect((await fetch(`http://localhost:${ports.COMMERCE_WORKER_PORT}/health`)).status).toBe(200)
    // Node does not resolve *.localhost: the tenant goes in the Host header.
    expect(await statusWithHost(ports.STOREFRONT_PORT!, `coreldove.localhost:${ports.STOREFRONT_PORT}`, '/')).toBe(200)
    expect((await fetch(`${portal()}/sign-in`)).status).toBe(200)
    // Readiness of the front ends (storefront: the CMS and Medusa; portal: the CMS) and of each worker.
    for (const [port, checks] of [
      [ports.STOREFRONT_PORT!, ['cms', 'medusa']],
      [ports.PORTAL_PORT!, ['cms']],
    ] as const) {
      const ready = await fetch(`http://localhost:${port}/api/health`)
      const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> }
      expect(ready.status, JSON.stringify(body)).toBe(200)
      for (const check of checks) expect(body.checks[check]?.ok, check).toBe(true)
      expect((await fetch(`http://localhost:${port}/api/health/live`)).status).toBe(200)
    }
    for (let i = 0; i < WORKERS; i++) {
      expect((await fetch(`http://localhost:${ports.WORKER_PORT! + i}/health/live`)).status).toBe(200)
      expect((await fetch(`http://localhost:${ports.WORKER_PORT! + i}/health/ready`)).status).toBe(200)
    }
    // `/metrics` of every service parses as Prometheus text and counts the traffic just made.
    const duration = 'http_server_request_duration_seconds'
    for (const [service, port, route] of [
      ['cms', ports.CMS_PORT!, '/api/health'],
      ['storefront', ports.STOREFRONT_PORT!, '/'],
      ['portal', ports.PORTAL_PORT!, '/sign-in'],
    ] as const) {
      const families = await metricsOf(port)
      expect(histogramCount(families, duration, { service, route }), `${service} ${route}`).toBeGreaterThanOrEqual(1)
    }
    // Medusa's store API without a publishable key: a 400, counted under its route.
    expect((await fetch(`http://localhost:${ports.COMMERCE_PORT}/store/regions`)).status).toBe(400)
    expect(
      histogramCount(await metricsOf(ports.COMMERCE_PORT!), duration, { route: '/store/regions', status_code: '400' }),
    ).toBeGreaterThanOrEqual(1)
    for (let i = 0; i < WORKERS; i++) {
      const families = await metricsOf(ports.WORKER_PORT! + i)
      expect(sampleValue(families, 'bizosaas_metrics_database_up'), `worker ${i}`).toBe(1)
      expect(families.has('bizosaas_queue_jobs'), `worker ${i}`).toBe(true)
    }

    // Production builds: the standalone Next servers, Medusa from .medusa/server in both modes.
    for (const app of ['cms', 'storefront', 'portal']) expect(nextServer(app), app).toHaveLength(1)
    const medusa = running(/@medusajs\/cli\/cli\.js start/)
    expect(medusa).toHaveLength(2)
    const modes = medusa.map((p) => readEnv(p.pid, 'MEDUSA_WORKER_MODE')).sort()
    expect(modes).toEqual(['server', 'worker'])
    expect(running(/redis-server/)).toHaveLength(1)
    // Two agent/bridge workers, each its own process group, on WORKER_PORT and WORKER_PORT + 1.
    const workers = running(/src\/worker\.ts/).filter((p) => p.pid === p.pgid)
    expect(workers).toHaveLength(WORKERS)
    expect(workers.map((p) => readEnv(p.pid, 'WORKER_PORT')).sort()).toEqual([
      String(ports.WORKER_PORT),
      String(ports.WORKER_PORT! + 1),
    ])
  })

  it('a shopper orders on the storefront: product → cart → checkout → confirmation, in Medusa', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } })
    try {
      await page.goto(shop('/products/fjord-opal-pendant'))
      await page.getByText('Ø35 cm', { exact: true }).click()
      await expect.poll(() => page.getByTestId('product-price').textContent(), { timeout: 30_000 }).toBe('€119.00')
      await page.getByRole('button', { name: 'Add to cart' }).click()
      await page.getByText('Added to your cart.').waitFor({ timeout: 30_000 })
      await page.getByRole('link', { name: 'View cart' }).click()
      await page.waitForURL(/\/cart$/)
      await page.getByRole('link', { name: 'Go to checkout' }).click()
      await page.waitForURL(/\/checkout$/)
      await page.getByLabel('Email').fill('smoke@example.com')
      await page.getByLabel('First name').fill('Astrid')
      await page.getByLabel('Last name').fill('Lindqvist')
      await page.getByLabel('Street address').fill('Storgatan 12')
      await page.getByLabel('Town or city').fill('Berlin')
      await page.getByLabel('Postcode').fill('10115')
      await page.getByLabel('Country').selectOption('de')
      await page.getByRole('button', { name: 'Save and continue' }).click()
      await page.getByRole('heading', { name: '2. Delivery and payment' }).waitFor({ timeout: 30_000 })
      await page.getByRole('button', { name: 'Place order' }).click()
      await page.waitForURL(/\/order\/order_/, { timeout: 60_000 })
      await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor()
      const orderId = page.url().split('/order/')[1]!
      const rows = await query<{ email: string; product_title: string }>(
        'bizosaas_commerce',
        `SELECT o.email, li.product_title FROM "order" o
           JOIN order_item oi ON oi.order_id = o.id JOIN order_line_item li ON li.id = oi.item_id
          WHERE o.id = $1`,
        [orderId],
      )
      expect(rows).toEqual([{ email: 'smoke@example.com', product_title: 'Fjord Opal Pendant' }])
    } finally {
      await page.context().close()
    }
  }, 240_000)

  it('an agent run started in the portal runs in a worker process, not the CMS, and its approval is applied', async () => {
    const token = await apiToken(cms(), 'owner@bizoholic.dev')
    const tenant = await until(
      "Bizoholic's id",
      async () => {
        const res = await fetch(`${cms()}/api/tenants?where[slug][equals]=bizoholic&depth=0`, {
          headers: { authorization: `JWT ${token}` },
        })
        return ((await res.json()) as { docs: { id: number }[] }).docs[0]?.id
      },
      30_000,
    )
    const [post] = await query<{ id: number }>(
      'bizosaas_cms',
      'SELECT id FROM posts WHERE tenant_id = $1 ORDER BY id LIMIT 1',
      [tenant],
    )
    const runsOfPost = async () =>
      query<{ id: number; status: string }>(
        'bizosaas_cms',
        `SELECT id, status FROM agent_runs WHERE agent = 'seo-meta' AND target_doc_id = $1 ORDER BY id`,
        [String(post!.id)],
      )
    const before = (await runsOfPost()).length
    const cmsServer = nextServer('cms')
    const workers = running(/src\/worker\.ts/)
    expect(cmsServer).toHaveLength(1)

    const page = await browser!.newPage({ viewport: { width: 1300, height: 900 } })
    try {
      await signIn(page, `/t/${tenant}/agents`)
      // Hold the workers: the run is queued and stays queued, since nothing else executes runs.
      signalGroups(workers, 'SIGSTOP')
      let runId: number
      try {
        const form = page.locator('form[data-run-now="seo-meta"]')
        await form.locator('[name="input.target.collection"]').selectOption('posts')
        await form.locator('[name="input.target.id"]').fill(String(post!.id))
        await form.getByRole('button', { name: 'Run now' }).click()
        await page.waitForURL(/\/runs\/\d+$/, { timeout: 60_000 })
        runId = Number(page.url().split('/runs/')[1])
        const runs = await runsOfPost()
        expect(runs.length).toBe(before + 1)
        await new Promise((r) => setTimeout(r, 5_000))
        expect(
          (await query<{ status: string }>('bizosaas_cms', 'SELECT status FROM agent_runs WHERE id = $1', [runId]))[0]
            ?.status,
        ).toBe('queued')
        // Freeze the CMS server and let the workers go: the run completes without the CMS.
        signalGroups(cmsServer, 'SIGSTOP')
      } finally {
        signalGroups(workers, 'SIGCONT')
      }
      try {
        await until(
          'the run to await approval while the CMS is frozen',
          async () => {
            const [row] = await query<{ status: string }>(
              'bizosaas_cms',
              'SELECT status FROM agent_runs WHERE id = $1',
              [runId],
            )
            return row?.status === 'awaiting-approval' ? true : undefined
          },
          120_000,
        )
      } finally {
        signalGroups(cmsServer, 'SIGCONT')
      }

      // Approve it in the portal; a worker applies the change.
      const [approval] = await query<{ id: number }>(
        'bizosaas_cms',
        'SELECT id FROM approvals WHERE agent_run_id = $1',
        [runId],
      )
      await page.goto(`${portal()}/t/${tenant}/approvals/${approval!.id}`)
      await page.getByRole('button', { name: 'Approve' }).click()
      await page.locator('[data-approval-status]', { hasText: 'applied' }).waitFor({ timeout: 120_000 })
      const [applied] = await query<{ status: string }>('bizosaas_cms', 'SELECT status FROM approvals WHERE id = $1', [
        approval!.id,
      ])
      expect(applied!.status).toBe('applied')
      // The portal's request id follows the run: the CMS logged queueing it, a worker process running it.
      // (Logs name a run by its runtime id, agent_runs.run_id; the portal's URL by the row's id.)
      const [run] = await query<{ run_id: string }>('bizosaas_cms', 'SELECT run_id FROM agent_runs WHERE id = $1', [
        runId,
      ])
      const runtimeId = run!.run_id
      const started = logLines('worker').find((l) => l.msg === 'agent run started' && l.runId === runtimeId)
      expect(started?.reqId ?? '', 'a worker logged the run with a request id').toMatch(/\S/)
      expect(started!.service).toBe('worker')
      const queued = logLines('cms').find((l) => l.msg === 'agent runs queued' && l.reqId === started!.reqId)
      expect(queued, 'the CMS logged queueing the run with the same request id').toMatchObject({ service: 'cms' })
    } finally {
      await page.context().close()
    }
  }, 400_000)

  it('Ctrl-C stops everything, Redis and PostgreSQL last, and leaves no process behind', async () => {
    const tree = processTree(start.pid!)
    const groups = new Set(tree.map((p) => p.pgid))
    expect(tree.length).toBeGreaterThan(10)
    process.kill(-start.pid!, 'SIGINT')
    // pnpm itself dies of the SIGINT at once (as at a terminal); the supervisor goes on stopping the rest.
    await exited
    await until(
      'the supervisor to stop',
      async () => (output.includes('[bizosaas] stopped') ? true : undefined),
      90_000,
      { afterExit: true },
    )
    const tail = output.slice(output.lastIndexOf('SIGINT received'))
    expect(tail.indexOf('stopping Redis'), tail).toBeGreaterThan(0)
    expect(tail.indexOf('stopping embedded PostgreSQL')).toBeGreaterThan(tail.indexOf('stopping Redis'))
    // Every process that was in the tree, and every process group it had, is gone.
    await until(
      'the last process to exit',
      async () => {
        const pids = new Set(tree.map((p) => p.pid))
        const left = allProcesses().filter((p) => pids.has(p.pid) || groups.has(p.pgid))
        return left.length === 0 ? true : undefined
      },
      30_000,
      { afterExit: true },
    ).catch(() => {
      const pids = new Set(tree.map((p) => p.pid))
      const left = allProcesses().filter((p) => pids.has(p.pid) || groups.has(p.pgid))
      expect(left.map((p) => `${p.pid} ${p.command}`)).toEqual([])
    })
    for (const port of Object.values(ports)) expect(await portInUse(port)).toBe(false)
  }, 120_000)
})

/**
 * The standalone server of a Next app: Next renames its process ("next-server (v16…)"), so it is found by
 * its working directory, `<app>/.next-e2e/standalone/<app>`.
 */
function nextServer(app: string): ProcessInfo[] {
  return processTree(start.pid!).filter((p) => {
    try {
      return readlinkSync(`/proc/${p.pid}/cwd`).endsWith(`/${app}/.next-e2e/standalone/${app}`)
    } catch {
      return false
    }
  })
}

/** `/metrics` of the service on `port`, parsed (throws when it is not Prometheus text). */
async function metricsOf(port: number) {
  const res = await fetch(`http://localhost:${port}/metrics`)
  expect(res.status).toBe(200)
  return parseMetrics(await res.text())
}

/** The JSON log lines of `pnpm start`'s output from services whose prefix starts with `name` (`[worker-1] {…}`). */
function logLines(name: string): (Record<string, unknown> & { msg?: string; reqId?: string; service?: string })[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(`[${name}`) && line.includes('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line.slice(line.indexOf('{')))]
      } catch {
        return []
      }
    })
}

/** The status of GET `pathAndQuery` sent with a Host header. */
function statusWithHost(port: number, host: string, pathAndQuery: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathAndQuery, headers: { host } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

/** A variable from a process's environment (/proc/<pid>/environ). */
function readEnv(pid: number, key: string): string | undefined {
  const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .find((e) => e.startsWith(`${key}=`))
  return entry?.slice(key.length + 1)
}

async function signIn(page: Page, wanted: string) {
  await page.goto(`${portal()}${wanted}`)
  await page.waitForURL(/\/sign-in\?next=/)
  await page.getByLabel('Email').fill('owner@bizoholic.dev')
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${portal()}${wanted}`)
}
