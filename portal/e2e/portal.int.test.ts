/**
 * The portal in a real browser (system Chromium) against a real Payload: the CMS test harness on its
 * own migrated database, seeded, with the agents worker running seo-meta against the mock LLM.
 * Screenshots go to test-results/portal/.
 */
import http from 'node:http'
import path from 'node:path'
import { Writable } from 'node:stream'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { histogramCount, parseMetrics, sampleValue } from '@bizosaas/observability/testing'
import { type AgentsWorker, startAgentsWorker } from '@bizosaas/plugin-agents'
import { artifactsDir, launchChromium } from '@bizosaas/scripts/browser'
import { freePort } from '@bizosaas/scripts/ports'
import { missingSecurityHeaders, watchCspViolations } from '@bizosaas/scripts/test/csp-violations'
import { appRoutes, malformedProbes, sendProbes } from '@bizosaas/scripts/test/malformed-requests'
import { until as pollUntil } from '@bizosaas/scripts/test/until'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildPortal, type RunningPortal, servePayloadRest, startPortal } from './harness.ts'

const until = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000) =>
  pollUntil(what, check, timeoutMs, 200)

const proposal = {
  metaTitle: 'Growth marketing that compounds | Bizoholic',
  metaDescription:
    'How Bizoholic plans campaigns that keep paying off: research, content and measurement, month after month.',
  keywords: ['growth marketing', 'content strategy'],
}

let cms: TestCms
/** The CMS's (and its in-process worker's) pino lines. */
const cmsLogs = (() => {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  return { lines, stream }
})()
let mock: MockLLM
let worker: AgentsWorker
let rest: { url: string; close(): Promise<void> }
let portal: RunningPortal
let browser: Browser
let shots: string
const tenants = { a: '', b: '' }
const tokens: Record<string, string> = {}
/** Pending seo-meta approvals: two in tenant A, one in tenant B, with their runs and posts. */
const pending: { id: number; run: number; post: number }[] = []
let approvalB: { id: number; run: number }
let buildSeconds = 0
/** Stands in for Metabase's embed page (no Metabase here): the analytics iframe's only allowed origin. */
let metabase: http.Server
let metabaseUrl = ''
/** CSP violations of the pages each test opened: every test must end with none. */
const watched: string[][] = []

/** Runs seo-meta on a post through the real endpoint and worker, and waits for its pending approval. */
async function pendingSeoMeta(tenant: string, who: string, post: number) {
  const res = await cms.rest.post(
    '/agents/seo-meta/runs',
    { tenant: Number(tenant), input: { target: { collection: 'posts', id: post } } },
    tokens[who],
  )
  expect(res.status, JSON.stringify(res.body)).toBe(202)
  const run = res.body.id as number
  const approval = await until(`approval of run ${run}`, async () => {
    const found = await cms.payload.find({
      collection: 'approvals',
      where: { agentRun: { equals: run } },
      depth: 0,
      limit: 1,
    })
    return found.docs[0] as { id: number; status: string } | undefined
  })
  expect(approval.status).toBe('pending')
  return { id: approval.id, run, post }
}

beforeAll(async () => {
  // The portal and the CMS each trust one proxy (here: the portal is the CMS's, and Next.js the portal's
  // own, as the browser sends no X-Forwarded-For): sign-in is counted per the browser's address. Tests
  // stand for other addresses by sending X-Forwarded-For themselves. The per-IP limit is small so it is
  // reached in a few attempts; no other test fails a sign-in.
  Object.assign(process.env, { TRUSTED_PROXY_COUNT: '1', RATE_LIMIT_SIGN_IN_IP: '6/1h' })
  mock = await startMockLLM({ script: [{ match: /./, reply: { json: proposal } }] })
  Object.assign(process.env, {
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: mock.openaiBaseURL,
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: mock.anthropicBaseURL,
  })
  // The build (cached by source hash) runs while Payload starts, migrates and seeds.
  const build = buildPortal().then((s) => (buildSeconds = s))
  cms = await startTestCms('portal_e2e', { logDestination: cmsLogs.stream })
  await seed(cms.payload)
  const found = await cms.payload.find({ collection: 'tenants', depth: 0 })
  tenants.a = String(found.docs.find((t) => t.slug === 'bizoholic')!.id)
  tenants.b = String(found.docs.find((t) => t.slug === 'coreldove')!.id)
  for (const who of ['owner@bizoholic.dev', 'manager@coreldove.dev']) tokens[who] = await cms.login(who, DEMO_PASSWORD)
  worker = await startAgentsWorker(cms.payload, { concurrency: 2 })
  const posts = async (tenant: string) =>
    (
      await cms.payload.find({
        collection: 'posts',
        where: { tenant: { equals: Number(tenant) } },
        sort: 'id',
        depth: 0,
        limit: 2,
      })
    ).docs.map((p) => p.id as number)
  const [a1, a2] = await posts(tenants.a)
  const [b1] = await posts(tenants.b)
  pending.push(
    await pendingSeoMeta(tenants.a, 'owner@bizoholic.dev', a1!),
    await pendingSeoMeta(tenants.a, 'owner@bizoholic.dev', a2!),
  )
  approvalB = await pendingSeoMeta(tenants.b, 'manager@coreldove.dev', b1!)
  rest = await servePayloadRest(cms.config)
  await build
  metabase = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><title>Metabase</title><h1 data-metabase-dashboard>Tenant dashboard</h1>')
  })
  await new Promise<void>((resolve) => metabase.listen(0, '127.0.0.1', resolve))
  metabaseUrl = `http://127.0.0.1:${(metabase.address() as { port: number }).port}`
  portal = await startPortal(
    {
      CMS_URL: rest.url,
      PORTAL_URL: 'http://127.0.0.1',
      METABASE_SITE_URL: metabaseUrl,
      METABASE_SECRET_KEY: 'a'.repeat(64),
    },
    await freePort(),
  )
  browser = await launchChromium()
  shots = await artifactsDir('portal')
  console.log(`portal e2e: next build ${buildSeconds ? `${buildSeconds.toFixed(0)} s` : 'cached'}`)
})

afterAll(async () => {
  await browser?.close()
  await portal?.stop()
  metabase?.close()
  await rest?.close()
  await worker?.stop({ graceMs: 2_000 })
  await cms?.close()
  await mock?.close()
})

afterEach(() => {
  const found = watched.flat()
  watched.length = 0
  expect(found, 'Content-Security-Policy violations').toEqual([])
})

async function newPage(extraHTTPHeaders?: Record<string, string>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, extraHTTPHeaders })
  watched.push(await watchCspViolations(context))
  const page = await context.newPage()
  // Nothing may leave this machine.
  await page.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.abort(),
  )
  return page
}

async function signIn(page: Page, email: string, wanted: string) {
  // Signed out, the wanted page sends us to sign-in, and back after it.
  await page.goto(`${portal.url}${wanted}`)
  await page.waitForURL(/\/sign-in\?next=/)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${portal.url}${wanted}`)
}

const statusOf = async (page: Page, pathname: string) => (await page.goto(`${portal.url}${pathname}`))?.status()

describe('portal', () => {
  it('sends a nonce CSP, HSTS and no-framing headers; sign-in, dashboard, approvals and analytics (Metabase framed) load with no CSP violation', async () => {
    const signInPage = await fetch(`${portal.url}/sign-in`)
    const headers = Object.fromEntries(signInPage.headers)
    expect(missingSecurityHeaders(headers)).toEqual([])
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/)
    expect(headers['x-frame-options']).toBe('DENY')
    const csp = headers['content-security-policy']!
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1]
    expect(nonce, csp).toBeTruthy()
    expect(csp).toContain(`frame-src ${metabaseUrl}`)
    expect(csp).not.toContain('unsafe-eval')
    // Every script Next rendered carries this response's nonce; the next response has another.
    const html = await signInPage.text()
    const scripts = html.match(/<script\b[^>]*>/g) ?? []
    expect(scripts.length).toBeGreaterThan(0)
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
    const again = (await fetch(`${portal.url}/sign-in`)).headers.get('content-security-policy')
    expect(again).not.toContain(nonce)
    // API routes: JSON and event streams, nothing may run.
    const api = await fetch(`${portal.url}/api/runs/1/events`)
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')

    const page = await newPage()
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenants.a}`)
    const session = (await page.context().cookies()).find((c) => c.name === 'portal-token')
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false })
    await page.locator('[data-figure="pending"]').waitFor()
    await page.goto(`${portal.url}/t/${tenants.a}/approvals`)
    await page.locator('tr[data-approval]').first().waitFor()
    await page.goto(`${portal.url}/t/${tenants.a}/analytics`)
    const frame = page.frameLocator('iframe[data-metabase]')
    await frame.locator('[data-metabase-dashboard]').waitFor()
    expect(await page.locator('iframe[data-metabase]').getAttribute('src')).toMatch(
      new RegExp(`^${metabaseUrl}/embed/dashboard/`),
    )
    await page.context().close()
  })

  it('a tenant admin approves a pending seo-meta approval and the post is updated', async () => {
    const page = await newPage()
    const [first] = pending
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenants.a}/approvals`)
    await page.locator(`tr[data-approval="${first!.id}"]`).waitFor()
    await page.screenshot({ path: path.join(shots, 'approvals.png'), fullPage: true })

    await page.locator(`tr[data-approval="${first!.id}"] a`).click()
    await page.locator('[data-diff] tr[data-field="metaTitle"] ins').first().waitFor()
    expect(await page.locator('[data-diff] tr[data-field="metaTitle"] td').nth(1).textContent()).toBe(
      proposal.metaTitle,
    )
    await page.getByRole('button', { name: 'Approve' }).click()
    // The page follows the approval until the worker has applied it.
    await page.locator('[data-approval-status]', { hasText: 'applied' }).waitFor({ timeout: 60_000 })
    await page.screenshot({ path: path.join(shots, 'approval-applied.png'), fullPage: true })

    const post = await cms.payload.findByID({ collection: 'posts', id: first!.post, depth: 0, draft: true })
    expect((post as { seo?: Record<string, unknown> }).seo).toMatchObject(proposal)

    // The run page follows the run over SSE (relayed through the portal).
    await page.goto(`${portal.url}/t/${tenants.a}/runs/${first!.run}`)
    await page
      .locator('[data-run-status]')
      .filter({ hasText: /succeeded|awaiting-approval/ })
      .waitFor()

    // the dashboard counts the tenant's pending approvals
    await page.goto(`${portal.url}/t/${tenants.a}`)
    const stillPending = await cms.payload.count({
      collection: 'approvals',
      where: { and: [{ tenant: { equals: Number(tenants.a) } }, { status: { equals: 'pending' } }] },
    })
    expect(await page.locator('[data-figure="pending"] strong').textContent()).toBe(String(stillPending.totalDocs))
    await page.locator('[data-orders-note]').waitFor()
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true })
    await page.context().close()
  })

  it('a client reads approvals but cannot approve', async () => {
    const page = await newPage()
    const [, second] = pending
    await signIn(page, 'client@bizoholic.dev', `/t/${tenants.a}/approvals/${second!.id}`)
    await page.locator('[data-read-only]').waitFor()
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0)
    await page.goto(`${portal.url}/t/${tenants.a}/approvals`)
    await page.locator(`tr[data-approval="${second!.id}"]`).waitFor()
    expect(await page.getByRole('button', { name: /Approve selected/ }).count()).toBe(0)
    // integrations are read-only for them: statuses, no controls
    expect(await statusOf(page, `/t/${tenants.a}/integrations`)).toBe(200)
    await page.locator('h1', { hasText: 'Integrations' }).waitFor()
    expect(await page.locator('[data-connector] button, [data-vault-keys]').count()).toBe(0)
    await page.goto(`${portal.url}/t/${tenants.a}/agents`)
    await page.locator('[data-agent="seo-meta"]').waitFor()
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0)
    const approval = await cms.payload.findByID({ collection: 'approvals', id: second!.id, depth: 0 })
    expect(approval.status).toBe('pending')
    await page.context().close()
  })

  it('a user of tenant A cannot reach tenant B’s pages, runs or approvals by URL', async () => {
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', `/t/${tenants.a}/runs`)
    for (const pathname of [
      `/t/${tenants.b}`,
      `/t/${tenants.b}/approvals`,
      `/t/${tenants.b}/approvals/${approvalB.id}`,
      `/t/${tenants.b}/runs/${approvalB.run}`,
      `/t/${tenants.a}/approvals/${approvalB.id}`,
      `/t/${tenants.a}/runs/${approvalB.run}`,
      `/t/999999/runs`,
    ]) {
      expect(await statusOf(page, pathname), pathname).toBe(404)
      await page.locator('[data-not-found]').waitFor()
    }
    // nor its live run events
    const events = await page.evaluate(async (id) => (await fetch(`/api/runs/${id}/events`)).status, approvalB.run)
    expect(events).toBe(404)
    await page.screenshot({ path: path.join(shots, 'not-found.png') })
    await page.context().close()
  })

  it('a manager approves the chosen approvals at once from the list, which carries only what it shows', async () => {
    const page = await newPage()
    const [, second] = pending
    await signIn(page, 'manager@bizoholic.dev', `/t/${tenants.a}/approvals`)
    const row = page.locator(`tr[data-approval="${second!.id}"]`)
    await row.waitFor()
    expect(await row.locator('td').nth(3).textContent()).toBe(proposal.metaTitle)
    // The rows are summaries: neither the rest of the proposal nor the current content reach the browser.
    expect(await page.content()).not.toContain(proposal.metaDescription)
    await row.getByRole('checkbox').check()
    await page.getByRole('button', { name: 'Approve selected (1)' }).click()
    // The outcome, whichever it is: a refusal shows as an alert, and its text then says why in the failure.
    // (Not Next's route announcer, which is an alert too.)
    const outcome = page.locator('p.ok[role="status"], p.error[role="alert"]').first()
    await outcome.waitFor({ timeout: 60_000 })
    expect(await outcome.textContent()).toContain('1 approved')
    await row.waitFor({ state: 'detached' })
    expect((await cms.payload.findByID({ collection: 'approvals', id: second!.id, depth: 0 })).status).toMatch(
      /^(approved|applied)$/,
    )
    await page.context().close()
  })

  it('an expired session goes to sign-in and back; invalid settings name the field', async () => {
    const page = await newPage()
    await page.context().addCookies([{ name: 'portal-token', value: 'expired.jwt.token', url: portal.url }])
    await page.goto(`${portal.url}/t/${tenants.a}/agents`)
    await page.waitForURL(/\/sign-in\?next=%2Ft%2F\d+%2Fagents/)
    await page.getByLabel('Email').fill('owner@bizoholic.dev')
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${portal.url}/t/${tenants.a}/agents`)

    const form = page.locator('form[data-settings="seo-meta"]')
    await form.getByLabel('Monthly budget (USD)').fill('-5')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.getByRole('alert').filter({ hasText: 'Monthly budget: must be 0 or more' }).waitFor()
    await form.getByLabel('Monthly budget (USD)').fill('12.5')
    await form.getByLabel('Model chain (tried in order)').fill('gpt-4o')
    await form.getByRole('button', { name: 'Save' }).click()
    await form
      .getByRole('alert')
      .filter({ hasText: /Model chain: use provider:model/ })
      .waitFor()
    // a refused form keeps what was typed
    expect(await form.getByLabel('Monthly budget (USD)').inputValue()).toBe('12.5')
    await form.getByLabel('Model chain (tried in order)').fill('gpt-4o')
    await form.getByRole('button', { name: 'Save' }).click()
    await form
      .getByRole('alert')
      .filter({ hasText: /Model chain: use provider:model/ })
      .waitFor()
    await form.getByLabel('Model chain (tried in order)').fill('openai:gpt-4.1-mini')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    const saved = await cms.payload.find({
      collection: 'agent-settings',
      where: { and: [{ tenant: { equals: Number(tenants.a) } }, { agent: { equals: 'seo-meta' } }] },
      depth: 0,
    })
    expect(saved.docs[0]).toMatchObject({ monthlyBudgetUsd: 12.5, models: ['openai:gpt-4.1-mini'] })

    // a scheduled agent: the cron is previewed in words, and a bad one is refused naming the field
    const audit = page.locator('form[data-settings="catalog-audit"]')
    await audit.getByLabel('Schedule (cron, UTC)').fill('0 6 * * 1')
    expect(await audit.locator('[data-cron-preview]').textContent()).toMatch(/06:00.*Monday/)
    await audit.getByLabel('Schedule (cron, UTC)').fill('61 * * * *')
    await audit.getByRole('button', { name: 'Save' }).click()
    await audit
      .getByRole('alert')
      .filter({ hasText: /^Schedule:/ })
      .waitFor()
    const refused = await cms.payload.count({
      collection: 'agent-settings',
      where: { and: [{ tenant: { equals: Number(tenants.a) } }, { schedule: { equals: '61 * * * *' } }] },
    })
    expect(refused.totalDocs).toBe(0)
    await page.context().close()
  })

  it('a tenant admin connects their own OpenAI key and tests it; the key is never shown again', async () => {
    const page = await newPage()
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenants.a}/integrations`)
    const card = page.locator('article[data-connector="openai"]')
    const form = card.locator('form[data-credentials-form="openai"]')
    await form.locator('input[name="name"]').fill('Mock OpenAI')
    await form.locator('input[name="field:apiKey"]').fill('sk-portal-e2e-secret-4242')
    await form.locator('input[name="field:baseUrl"]').fill(mock.openaiBaseURL)
    await form.getByRole('button', { name: 'Test and connect' }).click()
    // Tested before it is stored: the connection shows as connected, with no trace of the key on the page.
    const row = card.locator('tr[data-connection]', { hasText: 'Mock OpenAI' })
    await row.locator('[data-status="connected"]').waitFor({ timeout: 30_000 })
    await row.getByRole('button', { name: 'Test' }).click()
    await row.getByRole('status').waitFor({ timeout: 30_000 })
    expect(await row.getByRole('status').textContent()).toMatch(/1 model available/)
    expect(await page.content()).not.toContain('sk-portal-e2e-secret-4242')
    await page.screenshot({ path: path.join(shots, 'integrations.png'), fullPage: true })
    await page.context().close()
  })

  it('a tenant admin adds a user, changes their role and removes them; a manager gets a 404', async () => {
    const page = await newPage()
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenants.a}/users`)
    await page.locator('tr[data-user="client@bizoholic.dev"]').waitFor()
    // Their own row cannot be changed (no locking oneself out); no other tenant's users are listed.
    expect(await page.locator('tr[data-user="owner@bizoholic.dev"] select').count()).toBe(0)
    expect(await page.locator('tr[data-user="client@coreldove.dev"]').count()).toBe(0)

    const form = page.locator('form[data-invite-form]')
    await form.getByLabel('Email').fill('new.client@bizoholic.dev')
    await form.getByLabel('Role').selectOption('client')
    await form.getByRole('button', { name: 'Add' }).click()
    await form.getByRole('status').filter({ hasText: 'Added new.client@bizoholic.dev as client' }).waitFor()
    const row = page.locator('tr[data-user="new.client@bizoholic.dev"]')
    await row.waitFor()
    const member = async () =>
      (await cms.payload.find({ collection: 'users', where: { email: { equals: 'new.client@bizoholic.dev' } } }))
        .docs[0]
    expect((await member())?.tenants?.map((t) => t.roles)).toEqual([['client']])

    await row.getByLabel('Role of new.client@bizoholic.dev').selectOption('manager')
    await row.getByRole('button', { name: 'Save role' }).click()
    await row.getByRole('status').filter({ hasText: 'is now manager' }).waitFor()
    expect((await member())?.tenants?.map((t) => t.roles)).toEqual([['manager']])
    await page.screenshot({ path: path.join(shots, 'users.png'), fullPage: true })

    await row.getByRole('button', { name: 'Remove' }).click()
    await row.waitFor({ state: 'detached' })
    expect((await member())?.tenants ?? []).toEqual([])
    await page.context().close()

    const manager = await newPage()
    await signIn(manager, 'manager@bizoholic.dev', `/t/${tenants.a}/runs`)
    expect(await manager.getByRole('link', { name: 'Users' }).count()).toBe(0)
    expect(await statusOf(manager, `/t/${tenants.a}/users`)).toBe(404)
    await manager.context().close()
  })

  it('a tenant admin cancels a running run from its page; a user of several tenants switches between them', async () => {
    // The next model call hangs long enough for a person to press Cancel.
    mock.setScript([
      { match: /./, times: 1, reply: { json: proposal, delayMs: 30_000 } },
      { match: /./, reply: { json: proposal } },
    ])
    try {
      const post = (
        await cms.payload.find({
          collection: 'posts',
          where: { tenant: { equals: Number(tenants.a) } },
          sort: '-id',
          depth: 0,
          limit: 1,
        })
      ).docs[0]!.id
      const before = mock.requests.length
      const started = await cms.rest.post(
        '/agents/seo-meta/runs',
        { tenant: Number(tenants.a), input: { target: { collection: 'posts', id: post } } },
        tokens['owner@bizoholic.dev'],
      )
      expect(started.status, JSON.stringify(started.body)).toBe(202)
      const runId = started.body.id as number
      await until('the run to reach the model', async () => mock.requests.length > before)

      const page = await newPage()
      await signIn(page, 'owner@bizoholic.dev', `/t/${tenants.a}/runs/${runId}`)
      await page
        .locator('[data-run-status]')
        .filter({ hasText: /queued|running/ })
        .waitFor()
      await page.getByRole('button', { name: 'Cancel run' }).click()
      await page.locator('[data-run-status]', { hasText: 'cancelled' }).waitFor({ timeout: 30_000 })
      expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0)
      const run = await cms.payload.findByID({ collection: 'agent-runs', id: runId, depth: 0 })
      expect(run.status).toBe('cancelled')
      expect(
        await cms.payload.count({ collection: 'approvals', where: { agentRun: { equals: runId } } }),
      ).toMatchObject({ totalDocs: 0 })
      await page.context().close()
    } finally {
      mock.setScript([{ match: /./, reply: { json: proposal } }])
    }

    // The platform admin belongs to every tenant: the header's tenant select moves between them.
    const admin = await newPage()
    await signIn(admin, 'admin@bizosaas.dev', `/t/${tenants.a}/runs`)
    await admin.getByLabel('Tenant').selectOption(tenants.b)
    await admin.waitForURL(`${portal.url}/t/${tenants.b}`)
    await admin.locator('[data-figure="pending"]').waitFor()
    expect(await admin.getByLabel('Tenant').inputValue()).toBe(tenants.b)
    await admin.context().close()
  })

  it('a request id follows a run started in the portal into the CMS and the worker; /metrics shows the traffic', async () => {
    const cancelled = await cms.payload.find({
      collection: 'agent-runs',
      where: { and: [{ tenant: { equals: Number(tenants.a) } }, { status: { equals: 'cancelled' } }] },
      depth: 0,
      limit: 1,
    })
    const old = cancelled.docs[0]!.id
    const reqId = `portal-e2e-${crypto.randomUUID()}`
    // Every request of this page carries the id (as a load balancer's would); the portal passes it on.
    const page = await newPage({ 'x-request-id': reqId })
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenants.a}/runs/${old}`)
    await page.getByRole('button', { name: 'Retry' }).click()
    await page.waitForURL((url) => /\/runs\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/runs/${old}`))
    const retried = Number(new URL(page.url()).pathname.split('/').pop())
    const { runId } = await cms.payload.findByID({ collection: 'agent-runs', id: retried, depth: 0 })
    await page.context().close()
    const queued = cmsLogs.lines.find((l) => l.msg === 'agent runs queued' && l.reqId === reqId)
    expect(queued).toMatchObject({ agent: 'seo-meta', runs: [runId], tenant: tenants.a })
    const started = await until('the worker to log the retried run', async () =>
      cmsLogs.lines.find((l) => l.msg === 'agent run finished' && l.runId === runId),
    )
    expect(started).toMatchObject({ reqId, tenant: tenants.a })

    const res = await fetch(`${portal.url}/metrics`)
    expect(res.status).toBe(200)
    const families = parseMetrics(await res.text())
    const duration = 'http_server_request_duration_seconds'
    expect(
      histogramCount(families, duration, { route: '/t/:tenant/runs/:id', service: 'portal', method: 'GET' }),
    ).toBeGreaterThanOrEqual(1)
    expect(histogramCount(families, duration, { route: '/sign-in' })).toBeGreaterThanOrEqual(1)
    const routes = families.get(`${duration}_count`)!.metrics.map((m) => m.labels?.route ?? '')
    expect(routes.filter((r) => /\/\d+(\/|$)/.test(r) || r.includes('?'))).toEqual([])
    expect(sampleValue(families, 'process_resident_memory_bytes', { service: 'portal' })).toBeGreaterThan(0)
  })

  it('a tenant admin reads the audit log, filtered by person, collection and date; a manager gets a 404', async () => {
    const page = await newPage()
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenants.a}`)
    await page.getByRole('link', { name: 'Audit log' }).click()
    await page.waitForURL(`${portal.url}/t/${tenants.a}/audit`)
    await page.locator('tr[data-audit-entry]').first().waitFor()

    // The memberships changed on the users page above: who did it, to whom, field names only.
    const form = page.locator('form[data-audit-filters]')
    await form.getByLabel('Person').fill('owner@bizoholic')
    await form.getByLabel('Collection').selectOption('users')
    const today = new Date().toISOString().slice(0, 10)
    await form.getByLabel('From').fill(today)
    await form.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/collection=users/)
    for (const action of ['membership.added', 'membership.roles-changed', 'membership.removed'])
      await page.locator(`tr[data-action="${action}"]`, { hasText: 'new.client@bizoholic.dev' }).first().waitFor()
    const who = await page.locator('tr[data-audit-entry] td:nth-child(2)').allTextContents()
    expect(new Set(who)).toEqual(new Set(['owner@bizoholic.dev']))
    await page.screenshot({ path: path.join(shots, 'audit.png'), fullPage: true })

    // The approval decided in the first test, by this admin.
    await page.goto(`${portal.url}/t/${tenants.a}/audit?collection=approvals`)
    await page.locator('tr[data-action="approval.approved"]', { hasText: 'owner@bizoholic.dev' }).first().waitFor()
    await page.context().close()

    const manager = await newPage()
    await signIn(manager, 'manager@bizoholic.dev', `/t/${tenants.a}/runs`)
    expect(await manager.getByRole('link', { name: 'Audit log' }).count()).toBe(0)
    expect(await statusOf(manager, `/t/${tenants.a}/audit`)).toBe(404)
    await manager.context().close()
  })

  it('sign-in shows the rate limits: an email after 5 failures, an address after 6; others still sign in', async () => {
    // A user of its own, so no other test's user is refused.
    const email = 'limited@bizoholic.dev'
    await cms.payload.create({
      collection: 'users',
      data: {
        email,
        password: DEMO_PASSWORD,
        name: 'Limited',
        roles: ['user'],
        tenants: [{ tenant: Number(tenants.a), roles: ['client'] }],
      },
    })
    const page = await newPage({ 'x-forwarded-for': '203.0.113.10' })
    const attempt = async (who: string, password: string) => {
      await page.goto(`${portal.url}/sign-in`)
      await page.getByLabel('Email').fill(who)
      await page.getByLabel('Password').fill(password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      // The form's own alert (Next.js's route announcer is an alert too).
      return (await page.locator('form[data-sign-in] [role=alert]').textContent())?.trim()
    }
    for (let i = 0; i < 5; i++)
      expect(await attempt(email, 'not-the-password')).toBe('That email and password do not match an account.')
    // The right password, but the email has used up its attempts.
    expect(await attempt(email, DEMO_PASSWORD)).toBe(
      'Too many sign-in attempts for this email; try again in 15 minutes.',
    )
    await page.screenshot({ path: path.join(shots, 'sign-in-rate-limited.png') })
    // That address has now failed 6 times: any email from it is refused.
    expect(await attempt('nobody@bizoholic.dev', 'x')).toBe(
      'Too many sign-in attempts from your network; try again in 60 minutes.',
    )
    // Another address signs in as usual.
    const other = await newPage({ 'x-forwarded-for': '203.0.113.11' })
    await signIn(other, 'client@bizoholic.dev', `/t/${tenants.a}/approvals`)
    await other.context().close()
    await page.context().close()
  })

  it('answers malformed paths, queries, bodies and server actions on every route with no 5xx', async () => {
    // Read from the app directory, so a page added later is probed too.
    const routes = await appRoutes(path.resolve(import.meta.dirname, '../app'))
    expect(routes.map((r) => r.template)).toEqual(
      expect.arrayContaining(['/t/[tenant]/runs/[id]', '/api/runs/[id]/events']),
    )
    const port = Number(new URL(portal.url).port)
    // Signed out, and signed in as a tenant admin of tenant A (bad ids inside A, and tenant B's and bad tenants).
    const failures = [
      ...(await sendProbes(port, malformedProbes(routes))),
      ...(await sendProbes(port, malformedProbes(routes, { tenant: tenants.a }), {
        cookie: `portal-token=${tokens['owner@bizoholic.dev']}`,
      })),
      ...(await sendProbes(port, malformedProbes(routes, { tenant: tenants.b }), {
        cookie: `portal-token=${tokens['owner@bizoholic.dev']}`,
      })),
    ]
    expect(failures).toEqual([])
  })
})
