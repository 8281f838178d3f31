/**
 * The agents admin in a real browser against a running platform: an editor opens a post, runs
 * "SEO meta", follows the run, reviews current vs proposed, approves, and sees the new meta title on
 * the post — with the model call and its cost recorded on the run. Screenshots go to
 * test-results/admin-agents/.
 */
import path from 'node:path'
import { DEMO_PASSWORD, DEMO_SUPER_ADMIN } from '@bizosaas/contracts/demo'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { artifactsDir, launchChromium } from '../lib/browser.ts'
import { watchCspViolations } from './csp-violations.ts'

const PASSWORD = DEMO_PASSWORD
const SLOW = 240_000 // the first visit of each admin route compiles it (next dev on 2 cores)

export async function apiToken(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

async function api<T>(base: string, token: string, p: string): Promise<T> {
  const res = await fetch(`${base}/api${p}`, { headers: { authorization: `JWT ${token}` } })
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/admin/login`, { timeout: SLOW })
  await page.locator('#field-email').fill(email)
  await page.locator('#field-password').fill(PASSWORD)
  await page.locator('button[type=submit]').click()
  await page.waitForURL(`${base}/admin`, { timeout: SLOW })
}

export async function adminAgentsJourney(base: string, serverLog: () => string): Promise<void> {
  const shots = await artifactsDir('admin-agents')
  const browser = await launchChromium()
  const problems: string[] = []
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    // Every admin page must satisfy the CMS's Content-Security-Policy (src/security-headers.ts).
    const cspViolations = [await watchCspViolations(context)]
    const page = await context.newPage()
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    // The admin must work on a sealed machine: no request may leave localhost.
    await page.route(
      (url) => !['localhost', '127.0.0.1'].includes(url.hostname),
      (route) => {
        problems.push(`outside request: ${route.request().url()}`)
        return route.abort()
      },
    )

    const email = 'manager@bizoholic.dev'
    const token = await apiToken(base, email)
    const posts = await api<{ docs: Array<{ id: number; title: string; seo?: { metaTitle?: string | null } }> }>(
      base,
      token,
      '/posts?limit=1&depth=0&sort=createdAt&draft=true',
    )
    const post = posts.docs[0]!

    await signIn(page, base, email)
    // Payload's auth cookie: HttpOnly, SameSite=Lax (Secure only over https; this is http).
    const authCookie = (await context.cookies()).find((c) => c.name === 'payload-token')
    expect(authCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false })
    // Dashboard: the queue-health widget shows this tenant's agents.
    await page.locator('[data-queue-health="tenant"] tr[data-agent="seo-meta"]').waitFor({ timeout: SLOW })
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true })

    await page.goto(`${base}/admin/collections/posts/${post.id}`, { timeout: SLOW })
    const menu = page.locator('[data-agents-menu]')
    await menu.waitFor({ timeout: SLOW })
    await menu.getByText('Run agent', { exact: true }).click()
    await page.getByRole('button', { name: 'SEO meta', exact: true }).click()
    // The run is followed live until it waits for a person.
    await menu.locator('[data-status="awaiting-approval"]').waitFor({ timeout: 120_000 })
    await page.screenshot({ path: path.join(shots, 'post-run-awaiting-approval.png') })

    await menu.getByRole('link', { name: 'Review proposal →' }).click()
    const review = page.locator('[data-approval-review]')
    await review.waitFor({ timeout: SLOW })
    const titleRow = review.locator('tr[data-field="metaTitle"]')
    await titleRow.waitFor()
    const proposedTitle = (await titleRow.locator('[data-proposed]').innerText()).trim()
    expect(proposedTitle.length).toBeGreaterThan(0)
    expect((await titleRow.locator('[data-current]').innerText()).trim()).toBe(post.seo?.metaTitle || '—')
    expect(await review.locator('tr[data-field="metaDescription"] [data-proposed]').innerText()).not.toBe('—')
    await page.screenshot({ path: path.join(shots, 'approval-review.png'), fullPage: true })

    await review.getByRole('button', { name: 'Approve and apply' }).click()
    await review.getByText(/^Applied/).waitFor({ timeout: 60_000 })
    await page.screenshot({ path: path.join(shots, 'approval-applied.png'), fullPage: true })

    // The post now has the approved meta title, in the admin and over the API.
    await review.getByRole('link', { name: 'Open the document' }).click()
    const metaTitle = page.locator('input[name="seo.metaTitle"]')
    await metaTitle.waitFor({ timeout: SLOW })
    expect(await metaTitle.inputValue()).toBe(proposedTitle)
    await page.screenshot({ path: path.join(shots, 'post-updated.png') })
    const updated = await api<{ seo: { metaTitle: string } }>(base, token, `/posts/${post.id}?depth=0&draft=true`)
    expect(updated.seo.metaTitle).toBe(proposedTitle)

    // The run view lists the model call with its tokens and cost.
    const runs = await api<{ docs: Array<{ id: number; costUsd: number; status: string }> }>(
      base,
      token,
      `/agent-runs?where[target.docId][equals]=${post.id}&where[agent][equals]=seo-meta&sort=-createdAt&limit=1&depth=0`,
    )
    const run = runs.docs[0]!
    expect(run.status).toBe('succeeded')
    expect(run.costUsd).toBeGreaterThan(0)
    await page.goto(`${base}/admin/collections/agent-runs/${run.id}`, { timeout: SLOW })
    await page.locator('[data-run-steps] tr[data-step-kind="model-call"]').first().waitFor({ timeout: SLOW })
    await page.screenshot({ path: path.join(shots, 'run-view.png'), fullPage: true })

    // A client of the tenant reads but does not act: no "Run agent", no decision buttons.
    const started = await fetch(`${base}/api/agents/seo-meta/runs`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: { target: { collection: 'posts', id: post.id } } }),
    })
    expect(started.status).toBe(202)
    const { runId } = (await started.json()) as { runId: string }
    let pending: { id: number } | undefined
    for (let i = 0; i < 600 && !pending; i++) {
      const found = await api<{ docs: Array<{ id: number }> }>(
        base,
        token,
        `/approvals?where[runId][equals]=${runId}&depth=0`,
      )
      pending = found.docs[0]
      if (!pending) await new Promise((r) => setTimeout(r, 200))
    }
    expect(pending).toBeDefined()
    const client = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    cspViolations.push(await watchCspViolations(client))
    const clientPage = await client.newPage()
    await signIn(clientPage, base, 'client@bizoholic.dev')
    await clientPage.goto(`${base}/admin/collections/approvals/${pending!.id}`, { timeout: SLOW })
    await clientPage.getByText('Waiting for a manager or admin of this tenant to decide.').waitFor({ timeout: SLOW })
    expect(await clientPage.getByRole('button', { name: 'Approve and apply' }).count()).toBe(0)
    await clientPage.goto(`${base}/admin/collections/posts/${post.id}`, { timeout: SLOW })
    await clientPage.locator('input[name="seo.metaTitle"]').waitFor({ timeout: SLOW })
    await clientPage.waitForLoadState('networkidle')
    expect(await clientPage.locator('[data-agents-menu]').count()).toBe(0)

    // A platform admin's dashboard shows the pg-boss queues.
    const admin = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    cspViolations.push(await watchCspViolations(admin))
    const adminPage = await admin.newPage()
    await signIn(adminPage, base, DEMO_SUPER_ADMIN.email)
    await adminPage.locator('[data-queue-health="platform"] tr[data-queue="agent.seo-meta"]').waitFor({ timeout: SLOW })
    await adminPage.locator('[data-queue-health="platform"] tr[data-queue="agents.apply-approval"]').waitFor()

    expect(problems, `browser problems; server log:\n${serverLog().slice(-4000)}`).toEqual([])
    expect(cspViolations.flat(), 'Content-Security-Policy violations in the admin').toEqual([])
  } finally {
    await browser.close()
  }
}
