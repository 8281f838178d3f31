/**
 * Portal benchmark (issue 7's figures; not a test, see ./README.md). Beside a running `pnpm dev` stack
 * (its PostgreSQL and its agents worker) it starts a production-mode CMS on the same database
 * (./cms-server.ts: Payload's REST route handlers over node:http, NODE_ENV=production) and the portal's
 * production build (`next start`, cached like the e2e suite's) pointed at it, and measures in one run,
 * each figure beside its baseline:
 *   1. time-to-first-byte p50/p99 of the dashboard and the approvals page of a tenant holding 1,000 runs
 *      and 200 pending approvals (a fresh `bench-portal-*` tenant and tenant-admin), beside the same
 *      Payload REST requests each page makes, sent straight to the same CMS in the same order (the
 *      parallel ones in parallel) with the same JWT: p50/p99 of the set's completion time;
 *   2. approve click → updated document: real `seo-meta` runs on fresh draft posts of the tenant (the
 *      stack's worker and model), approved by clicking "Approve" in Chromium, beside the same
 *      `POST /api/approvals/:id/approve` sent straight to the CMS; both timed until the approval is
 *      `applied` and the post carries the proposed meta title (same polling).
 * Rounds alternate which side goes first; figures are medians over rounds, with per-round ratios.
 *
 *   pnpm dev   # in another terminal
 *   pnpm bench:portal
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { request } from 'node:http'
import { loadavg } from 'node:os'
import path from 'node:path'
import { DEMO_PASSWORD } from '@bizosaas/cms/seed'
import { lexicalParagraphs } from '@bizosaas/cms/test'
import { keyringFromEnv } from '@bizosaas/plugin-vault/crypto'
import { buildPortal, startPortal } from '@bizosaas/portal/e2e'
import { launchChromium } from '@bizosaas/scripts/browser'
import { readDevEnv } from '@bizosaas/scripts/env'
import { freePort } from '@bizosaas/scripts/ports'
import { externalPostgres, redactUrl, waitForPostgres } from '@bizosaas/scripts/postgres'
import { CMS_DATABASE, cmsDir, cmsEnv, devSecret } from '@bizosaas/scripts/stack'
import type { Page } from 'playwright-core'
import { median, percentile } from '../cms-api/load.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const RUNS = Number(process.env.BENCH_RUNS ?? 1000)
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 200)
const CLICKS = Number(process.env.BENCH_CLICKS ?? 10)
const SOLO = Number(process.env.BENCH_SOLO ?? 30)
const DEV_CMS_URL = (process.env.DEV_CMS_URL ?? 'http://localhost:3001').replace('localhost', '127.0.0.1')
const POLL_MS = 10

const log = (line = '') => process.stdout.write(`${line}\n`)
const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`
const ratio = (value: number) => `${value.toFixed(2)}×`
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
const sleep = (time: number) => new Promise((r) => setTimeout(r, time))
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

const cleanups: (() => Promise<unknown>)[] = []
let cleaning: Promise<void> | undefined
/** Runs the cleanups once, newest first; a second call (Ctrl-C during the cleanup) waits for the same run. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: Error) => log(`cleanup: ${error.message}`))
  })()
  return cleaning
}
/** Processes to signal at once on Ctrl-C: tsx may SIGKILL this process soon after (its signal relay). */
const onInterrupt: (() => void)[] = []
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    for (const fn of onInterrupt.splice(0)) fn()
    log(`${signal}: cleaning up …`)
    void cleanup().finally(() => process.exit(130))
  })

// --- the production-mode CMS ----------------------------------------------------------------------------------

/** A request the CMS received: when (ms since the epoch) and what (`METHOD /path?query`). */
interface Recorded {
  at: number
  request: string
}
/** Now, in ms since the epoch (comparable with the CMS process's `at`). */
const epoch = () => performance.timeOrigin + performance.now()

interface Cms {
  url: string
  child: ChildProcess
  /** The requests the CMS receives while `fn` runs (the runner's own, marked `x-bench`, left out). */
  record(fn: () => Promise<unknown>): Promise<Recorded[]>
  /** Starts recording; the function returned stops it and gives the requests. */
  startRecording(): Promise<() => Promise<Recorded[]>>
}

/** The dev stack's database: DATABASE_URL, else the embedded PostgreSQL `pnpm dev` runs (as `pnpm worker` finds it). */
async function devDatabaseUrl(): Promise<string> {
  const env = readDevEnv()
  const url = env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/${CMS_DATABASE}`
  await waitForPostgres(url, 5_000).catch(() => {
    throw new Error(`The dev database (${redactUrl(url)}) does not answer: start \`pnpm dev\` first`)
  })
  return url
}

async function startCms(): Promise<Cms> {
  const env = readDevEnv()
  const databaseUrl = await devDatabaseUrl()
  const secret = await devSecret(env)
  const childEnv: NodeJS.ProcessEnv = {
    ...cmsEnv(env, { server: externalPostgres(databaseUrl), cmsUrl: databaseUrl }, secret),
    NODE_ENV: 'production',
    // The stack's worker (inside the dev CMS) runs the jobs this CMS queues; no second worker here.
    AGENTS_WORKER: 'off',
  }
  // Production refuses the vault's derived development key; hand it the very key the dev CMS derives.
  if (!childEnv.VAULT_KEYS?.trim() && !childEnv.VAULT_KEY?.trim()) {
    const ring = keyringFromEnv({ PAYLOAD_SECRET: secret, NODE_ENV: 'development' })
    childEnv.VAULT_KEYS = `${ring.current.id}:${ring.current.key.toString('hex')}`
  }
  // Bench writes (a tenant, draft posts) need not poke the dev storefront's cache.
  delete childEnv.STOREFRONT_URL
  delete childEnv.REVALIDATE_SECRET
  // Node with this process's loader (tsx), and an IPC channel.
  const child = spawn(process.execPath, [...process.execArgv, path.join(import.meta.dirname, 'cms-server.ts')], {
    cwd: cmsDir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(message[key] as T)
      }
      const onExit = (code: number | null) => reject(new Error(`CMS server exited (${code}):\n${output.slice(-4000)}`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const url = await next<string>('url')
  async function startRecording() {
    const started = next<boolean>('recording')
    child.send({ record: true })
    await started
    return () => {
      const requests = next<Recorded[]>('requests')
      child.send({ record: false })
      return requests
    }
  }
  return {
    url,
    child,
    startRecording,
    async record(fn) {
      const stop = await startRecording()
      await fn()
      return stop()
    },
  }
}

/** Stops the CMS, which first deletes the bench's data (see cms-server.ts). */
async function stopCms(cms: Cms) {
  if (cms.child.exitCode !== null) return
  const cleaned = new Promise<string>((resolve) => {
    cms.child.on('message', (message: { cleaned?: string }) => message.cleaned && resolve(message.cleaned))
    cms.child.once('exit', () => resolve('the CMS process exited without cleaning up'))
  })
  const exited = new Promise((r) => cms.child.once('exit', r))
  cms.child.kill('SIGTERM')
  const timer = setTimeout(() => cms.child.kill('SIGKILL'), 300_000)
  log(`cleanup: ${await cleaned}`)
  await exited
  clearTimeout(timer)
}

// --- helpers ----------------------------------------------------------------------------------------------

/** `count` calls of `fn`, `limit` at a time. */
async function pool(count: number, limit: number, fn: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) await fn(next++)
    }),
  )
}

/** Time until the response headers arrive (the first byte), then drain the body. */
function ttfb(url: string, cookie: string): Promise<{ ms: number; status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request(url, { headers: { cookie } }, (res) => {
      const time = performance.now() - started
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
      })
      res.on('end', () => resolve({ ms: time, status: res.statusCode ?? 0, bytes }))
    })
    req.on('error', reject)
    req.end()
  })
}

// --- the run ----------------------------------------------------------------------------------------------

const health = await fetch(`${DEV_CMS_URL}/api/health`).catch(() => null)
if (!health?.ok)
  throw new Error(
    `The dev CMS (${DEV_CMS_URL}) is not up: start \`pnpm dev\` first (its agents worker runs the approvals)`,
  )
const benchStarted = performance.now()
log(`load average at start: ${load()}`)
const building = buildPortal()
building.catch(() => {}) // awaited (and thrown) after the setup
const cmsStarted = performance.now()
const cms = await startCms()
cleanups.push(() => stopCms(cms))
log(`production-mode CMS on ${cms.url} (${((performance.now() - cmsStarted) / 1000).toFixed(1)} s to listen)`)

try {
  /** A request from the runner itself (setup, polling): marked so the CMS's recorder leaves it out. */
  async function api<T>(p: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const res = await fetch(`${cms.url}/api${p}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json', 'x-bench': '1' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${p}: ${res.status} ${(await res.text()).slice(0, 300)}`)
    return (await res.json()) as T
  }

  async function login(email: string, password: string): Promise<string> {
    const res = await fetch(`${cms.url}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bench': '1' },
      body: JSON.stringify({ email, password }),
    })
    if (!res.ok) throw new Error(`login ${email}: ${res.status} (is the dev database seeded?)`)
    return ((await res.json()) as { token: string }).token
  }

  const admin = await login('admin@bizosaas.dev', DEMO_PASSWORD)
  const slug = `bench-portal-${Date.now()}`
  const tenantId = (
    await api<{ doc: { id: number } }>('/tenants', admin, { method: 'POST', body: { name: slug, slug } })
  ).doc.id
  const T = String(tenantId)
  // The CMS process deletes the tenant, its documents and the user when it stops (even if this one dies).
  cms.child.send({ own: { tenant: tenantId } })
  const postIds: number[] = []

  // A tenant-admin of the bench tenant: the portal's usual reader (a super-admin's session also lists all tenants).
  const email = `${slug}@bench.invalid`
  const password = `${slug}-password`
  const userId = (
    await api<{ doc: { id: number } }>('/users', admin, {
      method: 'POST',
      body: { email, password, name: 'Bench portal admin', tenants: [{ tenant: tenantId, roles: ['tenant-admin'] }] },
    })
  ).doc.id
  cms.child.send({ own: { user: userId } })
  const token = await login(email, password)

  const setupStarted = performance.now()
  log(`tenant ${slug} (${T}): writing ${RUNS} runs and ${APPROVALS} pending approvals …`)
  const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'awaiting-approval']
  const runIds: number[] = []
  await pool(RUNS, 8, async (i) => {
    const day = new Date(Date.now() - (i % 30) * 86_400_000).toISOString()
    const run = await api<{ doc: { id: number } }>('/agent-runs', admin, {
      method: 'POST',
      body: {
        tenant: tenantId,
        runId: `bench-${slug}-${i}`,
        agent: i % 2 ? 'seo-meta' : 'summarize',
        status: i < APPROVALS ? 'awaiting-approval' : statuses[i % statuses.length],
        costUsd: 0.001 * (i % 7),
        input: { n: i },
        startedAt: day,
      },
    })
    runIds[i] = run.doc.id
  })
  await pool(APPROVALS, 8, async (i) => {
    await api('/approvals', admin, {
      method: 'POST',
      body: {
        tenant: tenantId,
        agentRun: runIds[i],
        runId: `bench-${slug}-${i}`,
        agent: 'seo-meta',
        status: 'pending',
        proposed: { metaTitle: `Proposed title ${i}`, metaDescription: 'A proposed description.' },
        current: { metaTitle: `Current title ${i}`, metaDescription: '' },
        // Ids no real post has, so applying a real proposal below supersedes none of these.
        target: { collection: 'posts', docId: String(900_000_000 + i) },
        expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      },
    })
  })
  log(`  written in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`)

  const built = await building
  log(`portal build: ${built ? `${built.toFixed(0)} s` : 'cached'}`)
  const portal = await startPortal({ CMS_URL: cms.url, PORTAL_URL: 'http://127.0.0.1' }, await freePort())
  cleanups.push(() => portal.stop())
  onInterrupt.push(() => {
    try {
      if (portal.pid) process.kill(-portal.pid, 'SIGTERM')
    } catch {}
  })

  // --- 1. page TTFB beside the page's own REST requests -------------------------------------------------------

  /** The REST requests a page makes, as portal/lib issues them: groups in order, each group's requests in parallel. */
  interface PagePlan {
    name: string
    path: string
    groups: string[][]
  }
  const me = '/users/me?depth=1' // requireTenant → getSession (React cache: once per request for layout and page)
  const pending = (limit: number) =>
    `/approvals?where[tenant][equals]=${T}&where[status][equals]=pending&select[agent]=true&select[target]=true&select[proposed]=true&select[createdAt]=true&sort=-createdAt&depth=0&limit=${limit}`
  const pages: PagePlan[] = [
    {
      name: `dashboard (${RUNS} runs)`,
      path: `/t/${T}`,
      // requireTenantAndLoad: the page's reads start with the session check (users/me), not after it
      groups: [
        [
          me,
          `/agents/stats?tenant=${T}&days=30`, // runFigures
          pending(5), // listApprovals(…, 'pending', 5)
          `/agent-runs?where[tenant][equals]=${T}&where[status][equals]=failed&select[agent]=true&select[error]=true&sort=-createdAt&depth=0&limit=5`, // failingRuns
          // orderFigures: the sales channel comes with users/me; no shop linked, so Medusa is not called
        ],
      ],
    },
    { name: `approvals (${APPROVALS} pending)`, path: `/t/${T}/approvals`, groups: [[me, pending(50)]] },
  ]

  /** The page's requests straight to the CMS, as the portal's cmsFetch sends them; returns the set's time and each request's. */
  async function direct(plan: PagePlan): Promise<{ ms: number; each: number[]; bytes: number[]; failed: number }> {
    const each: number[] = []
    const bytes: number[] = []
    let failed = 0
    const started = performance.now()
    let index = 0
    for (const group of plan.groups) {
      const first = index
      index += group.length
      await Promise.all(
        group.map(async (p, i) => {
          const t0 = performance.now()
          const res = await fetch(`${cms.url}/api${p}`, {
            headers: { accept: 'application/json', authorization: `JWT ${token}` },
            cache: 'no-store',
          })
          const text = await res.text()
          JSON.parse(text)
          if (!res.ok) failed++
          each[first + i] = performance.now() - t0
          bytes[first + i] = Buffer.byteLength(text)
        }),
      )
    }
    return { ms: performance.now() - started, each, bytes, failed }
  }

  const cookie = `portal-token=${token}`
  const normalise = (list: string[]) => list.map((r) => decodeURIComponent(r)).sort()
  for (const plan of pages) {
    for (let i = 0; i < 5; i++) {
      await ttfb(`${portal.url}${plan.path}`, cookie)
      await direct(plan)
    }
    // What the portal really sends for one page load, to check the baseline sends the same.
    let html = 0
    const seen = (
      await cms.record(async () => {
        html = (await ttfb(`${portal.url}${plan.path}`, cookie)).bytes
      })
    ).map((r) => r.request)
    const expected = plan.groups.flat().map((p) => `GET /api${p}`)
    const same = JSON.stringify(normalise(seen)) === JSON.stringify(normalise(expected))
    const { bytes } = await direct(plan)
    log(
      `${plan.name}: page HTML ${kB(html)}; ${same ? `the portal sent the baseline's ${seen.length} CMS requests` : `⚠ the portal sent ${seen.length} CMS requests, not the baseline's ${expected.length}`} (groups in order, requests of a group in parallel):`,
    )
    for (const [g, group] of plan.groups.entries())
      for (const p of group) log(`    ${g + 1}. GET /api${p}  → ${kB(bytes[expected.indexOf(`GET /api${p}`)] ?? 0)}`)
    if (!same) for (const r of seen) log(`    portal: ${decodeURIComponent(r)}`)
  }

  interface Sample {
    p50: number
    p99: number
    errors: number
  }
  const summary = (times: number[], errors: number): Sample => ({
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    errors,
  })
  const results = pages.map(() => ({ portal: [] as Sample[], direct: [] as Sample[], each: [] as number[][] }))

  log(
    `\n${ROUNDS} rounds; per round, page and side ${REQUESTS} loads, ${CONCURRENCY} at a time (load average ${load()})`,
  )
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [p, plan] of pages.entries()) {
      const sides = round % 2 ? (['portal', 'direct'] as const) : (['direct', 'portal'] as const)
      for (const side of sides) {
        const times: number[] = []
        let errors = 0
        await pool(REQUESTS, CONCURRENCY, async () => {
          if (side === 'portal') {
            const r = await ttfb(`${portal.url}${plan.path}`, cookie)
            if (r.status !== 200) errors++
            times.push(r.ms)
          } else {
            const r = await direct(plan)
            errors += r.failed
            times.push(r.ms)
            r.each.forEach((t, i) => {
              results[p]!.each[i] ??= []
              results[p]!.each[i]!.push(t)
            })
          }
        })
        results[p]![side].push(summary(times, errors))
      }
      const [portalRound, directRound] = [results[p]!.portal.at(-1)!, results[p]!.direct.at(-1)!]
      log(
        `round ${round}  ${plan.name.padEnd(26)} portal TTFB p50 ${ms(portalRound.p50)} p99 ${ms(portalRound.p99)}  ·  direct REST p50 ${ms(directRound.p50)} p99 ${ms(directRound.p99)}  ·  p50 ratio ${ratio(portalRound.p50 / directRound.p50)}`,
      )
    }
  }

  // One load at a time (no queueing behind the other loads): what the page and each of its requests cost alone.
  const short = (req: string) =>
    `${req.split('?')[0]!.replace(/\/\d+$/, '/:id')}${req.includes('limit=') ? `(limit ${/limit=(\d+)/.exec(req)![1]})` : ''}`
  const solo = pages.map((plan) => {
    const requests = plan.groups.flat()
    return { plan, portal: [] as number[], direct: [] as number[], alone: requests.map(() => [] as number[]) }
  })
  for (const s of solo)
    for (let i = 0; i < SOLO; i++) {
      s.portal.push((await ttfb(`${portal.url}${s.plan.path}`, cookie)).ms)
      s.direct.push((await direct(s.plan)).ms)
      for (const [r, req] of s.plan.groups.flat().entries())
        s.alone[r]!.push((await direct({ ...s.plan, groups: [[req]] })).ms)
    }

  // --- 2. approve click → updated document, beside the approve request itself -----------------------------------

  /** ms after the click (or the direct request): answered / the page shows it, the CMS got the approve, applied. */
  type Click = { accepted: number; reached: number; applied: number }
  const clickSamples = { portal: [] as Click[], direct: [] as Click[] }

  // One warm-up click per side, then CLICKS per side; each on its own fresh draft post (no SEO yet, so the
  // apply really writes, and no proposal of another post is superseded).
  const needed = 2 * (CLICKS + 1)
  log(`\napprove click: ${needed} seo-meta runs on fresh draft posts (the stack's worker and model) …`)
  await pool(needed, 4, async (i) => {
    const post = await api<{ doc: { id: number } }>('/posts?draft=true', admin, {
      method: 'POST',
      body: {
        tenant: tenantId,
        title: `Bench portal post ${i} of ${slug}`,
        content: lexicalParagraphs(`A post the portal bench proposes SEO metadata for (${i}).`),
        _status: 'draft',
      },
    })
    postIds[i] = post.doc.id
  })
  const started = await Promise.all(
    postIds.map((id) =>
      api<{ id: number }>('/agents/seo-meta/runs', token, {
        method: 'POST',
        body: { tenant: tenantId, input: { target: { collection: 'posts', id } } },
      }),
    ),
  )
  type PendingApproval = { id: number; status: string; proposed: { metaTitle: string } }
  const ready: { approval: PendingApproval; post: number }[] = []
  for (const [i, run] of started.entries()) {
    let approval: PendingApproval | undefined
    for (let wait = 0; wait < 1200 && !approval; wait++) {
      const found = await api<{ docs: PendingApproval[] }>(
        `/approvals?where[agentRun][equals]=${run.id}&depth=0`,
        token,
      )
      approval = found.docs.find((a) => a.status === 'pending')
      if (!approval) await sleep(100)
    }
    if (!approval)
      throw new Error(`run ${run.id}: no pending approval within 120 s (did it fail? see it in the portal)`)
    ready.push({ approval, post: postIds[i]! })
  }

  /** Polls the CMS (approval and post, in parallel, every POLL_MS) until the approval is applied and the post updated; returns when (epoch ms). */
  async function untilApplied(approval: PendingApproval, post: number): Promise<number> {
    const since = performance.now()
    for (;;) {
      const [a, p] = await Promise.all([
        api<{ status: string }>(`/approvals/${approval.id}?depth=0`, token),
        api<{ seo?: { metaTitle?: string } }>(`/posts/${post}?depth=0&draft=true`, token),
      ])
      if (a.status === 'applied' && p.seo?.metaTitle === approval.proposed.metaTitle) return epoch()
      if (performance.now() - since > 60_000) throw new Error(`approval ${approval.id} not applied within 60 s`)
      await sleep(POLL_MS)
    }
  }

  const browser = await launchChromium()
  cleanups.push(() => browser.close())
  const context = await browser.newContext()
  await context.addCookies([{ name: 'portal-token', value: token, url: portal.url }])
  const page: Page = await context.newPage()

  /** Opens the approval in Chromium, then clicks Approve; `onClick` runs just before the click (and is awaited). */
  /** When the CMS received the approve request, in ms after `since` (epoch ms). */
  const reachedAfter = (requests: Recorded[], id: number, since: number) =>
    (requests.find((r) => r.request === `POST /api/approvals/${id}/approve`)?.at ?? Number.NaN) - since

  /** Opens the approval in Chromium (not timed), then clicks Approve and times it. */
  async function clickInPortal({
    approval,
    post,
  }: (typeof ready)[number]): Promise<Click & { requests: Recorded[]; clickedAt: number }> {
    await page.goto(`${portal.url}/t/${T}/approvals/${approval.id}`)
    const button = page.getByRole('button', { name: 'Approve' })
    await button.waitFor()
    // Timed from the click event in the page (Chromium's clock, ms since the epoch like ours and the CMS's):
    // Playwright's own click (actionability checks) is not part of it. The action answers with the page
    // re-rendered: the status pill leaves "pending", watched by a MutationObserver in the page.
    const decided = page.evaluate(`new Promise((resolve) => {
      const now = () => performance.timeOrigin + performance.now()
      document.addEventListener('click', () => (window.benchClickAt = now()), { capture: true, once: true })
      const observer = new MutationObserver(() => {
        const pill = document.querySelector('[data-approval-status]')
        if (pill && pill.textContent !== 'pending') {
          observer.disconnect()
          resolve(now())
        }
      })
      observer.observe(document.body, { subtree: true, childList: true, characterData: true })
    })`) as Promise<number>
    const stop = await cms.startRecording()
    await button.click()
    const appliedAt = await untilApplied(approval, post)
    const decidedAt = await decided
    const requests = await stop()
    const clickedAt = (await page.evaluate('window.benchClickAt')) as number
    return {
      accepted: decidedAt - clickedAt,
      reached: reachedAfter(requests, approval.id, clickedAt),
      applied: appliedAt - clickedAt,
      requests,
      clickedAt,
    }
  }

  async function approveDirectly({ approval, post }: (typeof ready)[number]): Promise<Click> {
    const stop = await cms.startRecording()
    const sent = epoch()
    const res = await fetch(`${cms.url}/api/approvals/${approval.id}/approve`, {
      method: 'POST',
      headers: { accept: 'application/json', authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: Number(T) }), // as the portal sends it
    })
    await res.text()
    if (res.status !== 202) throw new Error(`approve ${approval.id}: ${res.status}`)
    const accepted = epoch() - sent
    const applied = (await untilApplied(approval, post)) - sent
    return { accepted, reached: reachedAfter(await stop(), approval.id, sent), applied }
  }

  // Warm-up (not counted); keeps what the portal sent the CMS from the click until applied and shown.
  const clickRequests = (await clickInPortal(ready[0]!)).requests.map((r) => r.request)
  /** Per counted portal click: each request the CMS got (ids as `:id`) and when, in ms after the click. */
  const timelines: { request: string; after: number }[][] = []
  const timelineOf = (requests: Recorded[], since: number) =>
    requests.map((r) => ({ request: r.request.replace(/\/\d+/g, '/:id'), after: r.at - since }))
  await approveDirectly(ready[1]!)
  for (let i = 1; i <= CLICKS; i++) {
    const [first, second] = [ready[2 * i]!, ready[2 * i + 1]!]
    if (i % 2) {
      const { requests, clickedAt, ...click } = await clickInPortal(first)
      timelines.push(timelineOf(requests, clickedAt))
      clickSamples.portal.push(click)
      clickSamples.direct.push(await approveDirectly(second))
    } else {
      clickSamples.direct.push(await approveDirectly(first))
      const { requests, clickedAt, ...click } = await clickInPortal(second)
      timelines.push(timelineOf(requests, clickedAt))
      clickSamples.portal.push(click)
    }
    const [p, d] = [clickSamples.portal.at(-1)!, clickSamples.direct.at(-1)!]
    log(
      `click ${String(i).padStart(2)}  portal: CMS got the approve ${ms(p.reached)}, applied ${ms(p.applied)}, page shows it ${ms(p.accepted)}  ·  direct: CMS got it ${ms(d.reached)}, answered ${ms(d.accepted)}, applied ${ms(d.applied)}`,
    )
  }

  // --- figures ----------------------------------------------------------------------------------------------

  log(`\nFigures (medians over ${ROUNDS} rounds; ratio = portal / direct, median of per-round ratios; load ${load()}):`)
  for (const [p, plan] of pages.entries()) {
    const r = results[p]!
    const med = (side: 'portal' | 'direct', key: 'p50' | 'p99') => median(r[side].map((s) => s[key]))
    const ratios = (key: 'p50' | 'p99') => median(r.portal.map((s, i) => s[key] / r.direct[i]![key]))
    const errors = r.portal.reduce((n, s) => n + s.errors, 0) + r.direct.reduce((n, s) => n + s.errors, 0)
    log(
      `${plan.name.padEnd(26)} portal TTFB p50 ${ms(med('portal', 'p50'))} p99 ${ms(med('portal', 'p99'))}  ·  direct REST p50 ${ms(med('direct', 'p50'))} p99 ${ms(med('direct', 'p99'))}  ·  ratio p50 ${ratio(ratios('p50'))} p99 ${ratio(ratios('p99'))}  (${errors} errors)`,
    )
    const parts = plan.groups.flat().map((req, i) => `${short(req)} ${median(r.each[i] ?? []).toFixed(0)}`)
    log(`${''.padEnd(26)} direct set, median per request (ms): ${parts.join(', ')}`)
  }
  log(`one load at a time (${SOLO} each, alternating):`)
  for (const s of solo) {
    const alone = s.plan.groups.flat().map((req, i) => `${short(req)} ${median(s.alone[i]!).toFixed(0)}`)
    log(
      `${s.plan.name.padEnd(26)} portal TTFB p50 ${ms(median(s.portal))}  ·  direct REST p50 ${ms(median(s.direct))}  ·  ratio ${ratio(median(s.portal) / median(s.direct))}  ·  each request alone (ms): ${alone.join(', ')}`,
    )
  }
  const medianOf = (side: 'portal' | 'direct', key: keyof Click) => median(clickSamples[side].map((s) => s[key]))
  const pairRatio = median(clickSamples.portal.map((p, i) => p.applied / clickSamples.direct[i]!.applied))
  log(
    `approve click → post updated      portal ${ms(medianOf('portal', 'applied'))}  ·  direct POST …/approve ${ms(medianOf('direct', 'applied'))}  ·  ratio ${ratio(medianOf('portal', 'applied') / medianOf('direct', 'applied'))} (median of per-pair ratios ${ratio(pairRatio)})  (${CLICKS} each, polling every ${POLL_MS} ms)`,
  )
  log(
    `${''.padEnd(34)}the CMS got the approve request after: portal ${ms(medianOf('portal', 'reached'))}, direct ${ms(medianOf('direct', 'reached'))}  ·  the portal page shows the decision after ${ms(medianOf('portal', 'accepted'))}; the direct POST is answered after ${ms(medianOf('direct', 'accepted'))}`,
  )
  log(`portal → CMS requests during one approve click (warm-up; polling left out):`)
  for (const r of clickRequests) log(`    ${decodeURIComponent(r)}`)
  // When each of those reached the CMS, median over the counted clicks (the requests in the order received).
  const steps = timelines[0]?.map((t) => t.request) ?? []
  const same = timelines.filter((t) => t.map((x) => x.request).join() === steps.join())
  log(
    `  reached the CMS after the click (median of ${same.length} clicks with that sequence): ${steps
      .map((req, i) => `${req.split('?')[0]} ${ms(median(same.map((t) => t[i]!.after)))}`)
      .join(' → ')}`,
  )
} finally {
  const cleaning = performance.now()
  await cleanup()
  log(
    `cleanup ${((performance.now() - cleaning) / 1000).toFixed(0)} s; whole run ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`,
  )
}
