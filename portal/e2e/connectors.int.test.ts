/**
 * Connecting an outside account from the portal, in a real browser (system Chromium) against a real
 * Payload and the testing kit's mock OAuth provider over HTTP: Connect → the provider's consent page →
 * Allow → back on the integrations page, connected, with the account named; Disconnect revokes at the
 * provider. Deny comes back with "You declined access" and nothing stored. Managers read statuses only.
 * Shares the portal build (`.next-e2e`) with portal.int.test.ts. Screenshots go to test-results/portal/.
 */
import path from 'node:path'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import {
  type MockOAuthProvider,
  mockOAuthConnector,
  mockOAuthOverrides,
  startMockOAuthProvider,
} from '@bizosaas/plugin-connectors/testing'
import { artifactsDir, launchChromium } from '@bizosaas/scripts/browser'
import { freePort } from '@bizosaas/scripts/ports'
import { watchCspViolations } from '@bizosaas/scripts/test/csp-violations'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildPortal, type RunningPortal, servePayloadRest, startPortal } from './harness.ts'

const APP = { clientId: 'portal-e2e-app', clientSecret: 'portal-e2e-secret-0123456789' }

let provider: MockOAuthProvider
let cms: TestCms
let rest: { url: string; close(): Promise<void> }
let portal: RunningPortal
let browser: Browser
let shots: string
let tenant = ''
const watched: string[][] = []

beforeAll(async () => {
  const build = buildPortal()
  const port = await freePort()
  const portalUrl = `http://127.0.0.1:${port}`
  provider = await startMockOAuthProvider({ clients: [{ ...APP, redirectUris: [`${portalUrl}/oauth/callback`] }] })
  cms = await startTestCms('portal_connectors_e2e', {
    connectors: {
      connectors: [mockOAuthConnector],
      overrides: mockOAuthOverrides(provider),
      apps: { [mockOAuthConnector.id]: APP },
      portalUrl,
    },
  })
  await seed(cms.payload)
  const found = await cms.payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } }, depth: 0 })
  tenant = String(found.docs[0]!.id)
  rest = await servePayloadRest(cms.config)
  await build
  portal = await startPortal({ CMS_URL: rest.url, PORTAL_URL: portalUrl }, port)
  browser = await launchChromium()
  shots = await artifactsDir('portal')
})

afterAll(async () => {
  await browser?.close()
  await portal?.stop()
  await rest?.close()
  await cms?.close()
  await provider?.close()
})

afterEach(() => {
  const found = watched.flat()
  watched.length = 0
  expect(found, 'Content-Security-Policy violations').toEqual([])
})

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 } })
  watched.push(await watchCspViolations(context))
  const page = await context.newPage()
  // Nothing may leave this machine (the mock provider is on 127.0.0.1 too).
  await page.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.abort(),
  )
  return page
}

async function signIn(page: Page, email: string, wanted: string) {
  await page.goto(`${portal.url}${wanted}`)
  await page.waitForURL(/\/sign-in\?next=/)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${portal.url}${wanted}`)
}

const connections = async () =>
  (await cms.payload.count({ collection: 'connections' as never, where: { tenant: { equals: Number(tenant) } } }))
    .totalDocs

describe('connectors in the portal', () => {
  it('a tenant admin connects through the provider’s consent page, sees the account, and disconnects (revoked)', async () => {
    const page = await newPage()
    const integrations = `/t/${tenant}/integrations`
    await signIn(page, 'owner@bizoholic.dev', integrations)
    const card = page.locator('[data-connector="mock-oauth"]')
    await card.getByText('Not connected.').waitFor()
    await page.screenshot({ path: path.join(shots, 'connectors.png'), fullPage: true })

    await card.getByRole('button', { name: 'Connect', exact: true }).click()
    await page.waitForURL(`${provider.url}/authorize?**`)
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor()
    await page.screenshot({ path: path.join(shots, 'connectors-consent.png') })
    await page.getByRole('button', { name: 'Allow' }).click()

    await page.waitForURL(`${portal.url}${integrations}`)
    await page
      .locator('[data-oauth-outcome]')
      .filter({ hasText: 'Connected Mock Provider as owner@example.com.' })
      .waitFor()
    const row = card.locator('tr[data-connection]')
    await row.locator('.pill[data-status="connected"]', { hasText: 'Connected' }).waitFor()
    expect(await row.locator('[data-account]').textContent()).toBe('owner@example.com')
    expect(await connections()).toBe(1)
    expect(await page.content()).not.toMatch(/mock_at_|mock_rt_|mock_code_/)
    await page.screenshot({ path: path.join(shots, 'connectors-connected.png'), fullPage: true })

    // Test, then disconnect (asked once more); the grant is revoked at the provider.
    await row.getByRole('button', { name: 'Test' }).click()
    await row.getByRole('status').filter({ hasText: 'Signed in as owner@example.com' }).waitFor()
    const revocations = provider.count('revoke')
    await row.getByRole('button', { name: 'Disconnect' }).click()
    await row.getByRole('button', { name: 'Yes, disconnect' }).click()
    await card.getByText('Not connected.').waitFor()
    expect(provider.count('revoke')).toBeGreaterThan(revocations)
    expect(provider.grants().every((g) => g.revoked)).toBe(true)
    expect(await connections()).toBe(0)
    await page.context().close()
  })

  it('Deny on the consent page comes back with "You declined access", and nothing is stored', async () => {
    const page = await newPage()
    const integrations = `/t/${tenant}/integrations`
    await signIn(page, 'owner@bizoholic.dev', integrations)
    const card = page.locator('[data-connector="mock-oauth"]')
    await card.getByRole('button', { name: 'Connect', exact: true }).click()
    await page.waitForURL(`${provider.url}/authorize?**`)
    await page.getByRole('button', { name: 'Deny' }).click()
    await page.waitForURL(`${portal.url}${integrations}`)
    await page
      .getByRole('alert')
      .filter({ hasText: 'You declined access at Mock Provider; nothing was connected.' })
      .waitFor()
    await card.getByText('Not connected.').waitFor()
    expect(await connections()).toBe(0)
    await page.screenshot({ path: path.join(shots, 'connectors-declined.png'), fullPage: true })
    await page.context().close()
  })

  it('a tenant admin sets whose AI model keys pay for the tenant’s runs', async () => {
    const page = await newPage()
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenant}/integrations`)
    const form = page.locator('form[data-model-key-policy]')
    await form.getByLabel('Our own keys only (runs fail when we have none)').check()
    await form.getByRole('button', { name: 'Save' }).click()
    const outcome = form.getByRole('status').or(form.getByRole('alert')).first()
    await outcome.waitFor()
    expect(await outcome.textContent()).toBe('Saved.')
    const saved = await cms.payload.findByID({ collection: 'tenants', id: Number(tenant), depth: 0 })
    expect((saved as { modelKeys?: string }).modelKeys).toBe('own-only')
    await page.reload()
    expect(await form.getByLabel('Our own keys only (runs fail when we have none)').isChecked()).toBe(true)
    await page.context().close()
  })

  it('a tenant admin enters the tenant’s own OAuth app (secret never shown again) and removes it', async () => {
    const page = await newPage()
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenant}/integrations`)
    const own = page.locator('[data-own-app="mock-oauth"]')
    await own.getByText('Use our own OAuth app').click()
    await own.getByLabel('Client id').fill('tenant-own-app')
    await own.getByLabel('Client secret').fill('tenant-own-secret-9876')
    await own.getByRole('button', { name: 'Save app' }).click()
    const outcome = own.getByRole('status').or(own.getByRole('alert')).first()
    await outcome.waitFor()
    expect(await outcome.textContent()).toMatch(/^Saved your OAuth app/)
    const apps = await cms.payload.find({ collection: 'connector-apps' as never, depth: 0, overrideAccess: true })
    expect(apps.docs).toMatchObject([{ clientId: 'tenant-own-app', secretHint: '…9876' }])
    await page.reload()
    await own.getByText('Using your own app (tenant-own-app)').waitFor()
    expect(await page.content()).not.toContain('tenant-own-secret-9876')
    await own.getByText('Using your own app (tenant-own-app)').click()
    await own.getByRole('button', { name: 'Remove app' }).click()
    await own.getByRole('status').filter({ hasText: 'Removed your OAuth app.' }).waitFor()
    expect((await cms.payload.count({ collection: 'connector-apps' as never, overrideAccess: true })).totalDocs).toBe(0)
    await page.context().close()
  })

  it('a manager reads the statuses but has no controls', async () => {
    const token = await cms.login('owner@bizoholic.dev', DEMO_PASSWORD)
    // A connection made without a browser (the consent page played by the kit), for the manager to see.
    const started = await cms.rest.post('/connectors/mock-oauth/authorize', { tenant: Number(tenant) }, token)
    const back = await provider.consent(String(started.body.url), 'allow')
    const done = await cms.rest.post(
      '/connectors/oauth/complete',
      {
        state: back.searchParams.get('state'),
        code: back.searchParams.get('code'),
        redirectUri: `${back.origin}${back.pathname}`,
      },
      token,
    )
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', `/t/${tenant}/integrations`)
    const card = page.locator('[data-connector="mock-oauth"]')
    await card.locator('.pill[data-status="connected"]').waitFor()
    expect(await card.getByRole('button').count()).toBe(0)
    expect(await page.locator('[data-vault-keys], [data-model-key-policy]').count()).toBe(0)
    await page.context().close()
  })
})
