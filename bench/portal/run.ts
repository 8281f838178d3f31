/**
 * Portal benchmark (issue 7's figures; not a test, see ./README.md). Against a running `pnpm dev`
 * stack (Payload on CMS_URL) it starts the portal's production build (`next start`, cached like the e2e
 * suite's) and measures, in one run:
 *   1. time-to-first-byte p50/p99 of the dashboard and the approvals page of a tenant holding 1,000 runs
 *      and 200 pending approvals (made once in a fresh `bench-portal-*` tenant),
 *   2. approve-click → updated document latency: real `seo-meta` runs on Bizoholic posts (the stack's
 *      worker and model), approved by clicking "Approve" in Chromium, timed until the post carries the
 *      proposed meta title and the approval is `applied`.
 *
 *   pnpm dev   # in another terminal
 *   pnpm bench:portal
 */
import { request } from 'node:http'
import type { Page } from 'playwright-core'
import { buildPortal, startPortal } from '../../portal/e2e/harness.ts'
import { launchChromium } from '../../scripts/lib/browser.ts'
import { freePort } from '../../scripts/lib/ports.ts'
import { median, percentile } from '../cms-api/load.ts'

const CMS_URL = (process.env.CMS_URL ?? 'http://localhost:3001').replace('localhost', '127.0.0.1')
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const RUNS = Number(process.env.BENCH_RUNS ?? 1000)
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 200)
const CLICKS = Number(process.env.BENCH_CLICKS ?? 3)
const PASSWORD = process.env.BENCH_PASSWORD ?? 'bizosaas-demo'

async function api<T>(path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${CMS_URL}/api${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`)
  return (await res.json()) as T
}

async function login(email: string): Promise<string> {
  const res = await fetch(`${CMS_URL}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  if (!res.ok) throw new Error(`login ${email}: ${res.status} (is pnpm dev running and seeded?)`)
  return ((await res.json()) as { token: string }).token
}

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
function ttfb(url: string, cookie: string): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request(url, { headers: { cookie } }, (res) => {
      const ms = performance.now() - started
      res.resume()
      res.on('end', () => resolve({ ms, status: res.statusCode ?? 0 }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function measure(name: string, url: string, cookie: string) {
  for (let i = 0; i < 3; i++) await ttfb(url, cookie) // warm the route
  const times: number[] = []
  let errors = 0
  await pool(REQUESTS, CONCURRENCY, async () => {
    const r = await ttfb(url, cookie)
    if (r.status !== 200) errors++
    times.push(r.ms)
  })
  console.log(
    `${name.padEnd(36)} TTFB p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(times, 99).toFixed(1).padStart(7)} ms  (${REQUESTS} requests, ${CONCURRENCY} at a time, ${errors} errors)`,
  )
}

const admin = await login('admin@bizosaas.dev')
const slug = `bench-portal-${Date.now()}`
const tenant = await api<{ doc: { id: number } }>('/tenants', admin, {
  method: 'POST',
  body: { name: 'Bench portal', slug },
})
const tenantId = tenant.doc.id
console.log(`tenant ${slug} (${tenantId}): writing ${RUNS} runs and ${APPROVALS} pending approvals …`)
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
      target: { collection: 'posts', docId: String(i) },
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    },
  })
})

const built = await buildPortal()
console.log(`portal build: ${built ? `${built.toFixed(0)} s` : 'cached'}`)
const port = await freePort()
const portal = await startPortal({ CMS_URL, PORTAL_URL: 'http://127.0.0.1' }, port)
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined
try {
  const cookie = `portal-token=${admin}`
  await measure(`dashboard (${RUNS} runs)`, `${portal.url}/t/${tenantId}`, cookie)
  await measure(`approvals (${APPROVALS} pending)`, `${portal.url}/t/${tenantId}/approvals`, cookie)

  // Approve-click → updated document, on real seo-meta proposals in Bizoholic.
  const owner = await login('owner@bizoholic.dev')
  const me = await api<{ user: { tenants: { tenant: number | { id: number } }[] } }>('/users/me', owner)
  const t = me.user.tenants[0]!.tenant
  const bizoholic = typeof t === 'object' ? t.id : t
  const posts = await api<{ docs: { id: number }[] }>(
    `/posts?where[tenant][equals]=${bizoholic}&limit=${CLICKS}&depth=0&draft=true`,
    owner,
  )
  browser = await launchChromium()
  const context = await browser.newContext()
  await context.addCookies([{ name: 'portal-token', value: owner, url: portal.url }])
  const page: Page = await context.newPage()
  const latencies: number[] = []
  for (const post of posts.docs) {
    const started = await api<{ id: number }>('/agents/seo-meta/runs', owner, {
      method: 'POST',
      body: { tenant: bizoholic, input: { target: { collection: 'posts', id: post.id } } },
    })
    let approval: { id: number; proposed: { metaTitle: string } } | undefined
    for (let i = 0; i < 600 && !approval; i++) {
      const found = await api<{ docs: { id: number; status: string; proposed: { metaTitle: string } }[] }>(
        `/approvals?where[agentRun][equals]=${started.id}&depth=0`,
        owner,
      )
      approval = found.docs.find((a) => a.status === 'pending')
      if (!approval) await new Promise((r) => setTimeout(r, 100))
    }
    if (!approval) {
      console.log(`post ${post.id}: no pending approval within 60 s (did the run fail? see the run in the portal)`)
      continue
    }
    await page.goto(`${portal.url}/t/${bizoholic}/approvals/${approval.id}`)
    const clicked = performance.now()
    await page.getByRole('button', { name: 'Approve' }).click()
    for (;;) {
      const [a, p] = await Promise.all([
        api<{ status: string }>(`/approvals/${approval.id}?depth=0`, owner),
        api<{ seo?: { metaTitle?: string } }>(`/posts/${post.id}?depth=0&draft=true`, owner),
      ])
      if (a.status === 'applied' && p.seo?.metaTitle === approval.proposed.metaTitle) break
      if (performance.now() - clicked > 60_000) throw new Error(`approval ${approval.id} not applied within 60 s`)
      await new Promise((r) => setTimeout(r, 10))
    }
    latencies.push(performance.now() - clicked)
  }
  if (latencies.length)
    console.log(
      `approve click → post updated           median ${median(latencies).toFixed(0)} ms  max ${Math.max(...latencies).toFixed(0)} ms  (${latencies.length} approvals)`,
    )
} finally {
  await browser?.close()
  await portal.stop()
  await api(`/tenants/${tenantId}`, admin, { method: 'DELETE' }).catch((e: Error) =>
    console.log(`cleanup: ${e.message}`),
  )
}
