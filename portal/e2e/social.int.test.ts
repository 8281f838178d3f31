/**
 * The social calendar and composer in a real browser (system Chromium) against a real Payload with the
 * social plugin: a manager approves an awaiting-approval post inline (→ scheduled) and drags a scheduled
 * post to another day (the server has the new time); a client sees the calendar without approve
 * buttons; the composer counts X's characters live, shows the over-limit error and refuses to submit.
 * A move into the past (the keyboard way) is refused in the server's words. A post's page shows a
 * published variant's link and metrics, and an unconfirmed one's error with Check / Confirm / Republish;
 * the server's refusal (a disconnected account) shows next to that account's preview; accounts are added
 * from a connection's profiles.
 * Data is seeded with the social service over the Local API (publisher outcomes written as its SQL
 * does). Shares the portal build (`.next-e2e`) with the other portal suites. Screenshots go to
 * test-results/portal/.
 */
import path from 'node:path'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import { defineConnector, saveConnection } from '@bizosaas/plugin-connectors'
import { createSocialPost, type SocialPluginConfig } from '@bizosaas/plugin-social'
import { artifactsDir, launchChromium } from '@bizosaas/scripts/browser'
import { freePort } from '@bizosaas/scripts/ports'
import { watchCspViolations } from '@bizosaas/scripts/test/csp-violations'
import pg from 'pg'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { buildPortal, type RunningPortal, servePayloadRest, startPortal } from './harness.ts'

let cms: TestCms
let rest: { url: string; close(): Promise<void> }
let portal: RunningPortal
let browser: Browser
let shots: string
let tenant = ''
let manager: Record<string, unknown>
const accounts = { x: '', bluesky: '', linkedin: '' }
const watched: string[][] = []

/**
 * A social connector whose connections may post as two Mastodon profiles (no HTTP: the targets come
 * from its credentials), and the platform that posts with it — for the accounts page.
 */
const testConnector = defineConnector<string, { handle: string }, { handle: string }>({
  id: 'test-social',
  name: 'Test Mastodon',
  description: 'A social connector for the portal’s tests',
  category: 'social',
  auth: {
    type: 'credentials',
    kind: 'api-key',
    schema: z.object({ handle: z.string().describe('The handle') }),
    secretFields: [],
  },
  client: (ctx) => ({ handle: ctx.credentials.handle }),
  test: async () => ({ ok: true, message: 'ok' }),
})
type Platform = NonNullable<SocialPluginConfig['platforms']>[number]
const testPlatform = {
  id: 'mastodon',
  connector: testConnector.id,
  rules: PLATFORM_RULES.mastodon,
  pacing: { perAccount: { points: 10, windowSeconds: 60 }, concurrency: 1 },
  settle: 'key',
  targets: async (client: { handle: string }) => [
    { id: `${client.handle}-main`, type: 'profile', name: 'Bizoholic on Mastodon', handle: `@${client.handle}` },
    { id: `${client.handle}-news`, type: 'profile', name: 'Bizoholic News', handle: `@${client.handle}news` },
  ],
  publish: async () => {
    throw new Error('the portal’s tests never publish')
  },
  lookup: async () => null,
  metrics: async () => ({}),
} as unknown as Platform

const DAY = 86_400_000
/** Tuesday of next week, UTC midnight: every day of that week is in the future, whatever today is. */
function nextWeekTuesday(): Date {
  const now = new Date()
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY
  return new Date(monday + 8 * DAY)
}
const tuesday = nextWeekTuesday()
const at = (days: number, hh: number) => new Date(tuesday.getTime() + days * DAY + hh * 3_600_000)
const dayOf = (d: Date) => d.toISOString().slice(0, 10)

beforeAll(async () => {
  const build = buildPortal()
  const port = await freePort()
  cms = await startTestCms('portal_social_e2e', {
    social: { platforms: [testPlatform], connectors: [testConnector as never] },
  })
  await seed(cms.payload)
  const found = await cms.payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } }, depth: 0 })
  tenant = String(found.docs[0]!.id)
  const users = await cms.payload.find({
    collection: 'users',
    where: { email: { equals: 'manager@bizoholic.dev' } },
    depth: 0,
  })
  manager = users.docs[0] as unknown as Record<string, unknown>
  // X and Bluesky connected; LinkedIn's connection needs reconnecting (its token was revoked).
  for (const platform of ['x', 'bluesky', 'linkedin'] as const) {
    const connection = await cms.payload.create({
      collection: 'connections' as never,
      data: {
        tenant: Number(tenant),
        connector: platform,
        name: `Bizoholic ${platform}`,
        status: platform === 'linkedin' ? 'needs-reconnect' : 'connected',
      } as never,
      overrideAccess: true,
    })
    const account = await cms.payload.create({
      collection: 'social-accounts' as never,
      data: {
        tenant: Number(tenant),
        platform,
        connection: (connection as { id: number }).id,
        targetId: `${platform}-1`,
        targetType: 'profile',
        name: `Bizoholic on ${PLATFORM_RULES[platform].name}`,
        handle: '@bizoholic',
        active: true,
      } as never,
      // What POST /api/social/accounts writes after asking the platform (there is no platform here).
      overrideAccess: true,
    })
    accounts[platform] = String((account as { id: number }).id)
  }
  rest = await servePayloadRest(cms.config)
  await build
  portal = await startPortal({ CMS_URL: rest.url }, port)
  browser = await launchChromium()
  shots = await artifactsDir('portal')
})

afterAll(async () => {
  await browser?.close()
  await portal?.stop()
  await rest?.close()
  await cms?.close()
})

afterEach(() => {
  const found = watched.flat()
  watched.length = 0
  expect(found, 'Content-Security-Policy violations').toEqual([])
})

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  watched.push(await watchCspViolations(context))
  const page = await context.newPage()
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

const post = (title: string, scheduledAt: Date, status: 'awaiting-approval' | 'scheduled') =>
  createSocialPost(cms.payload, {
    tenant: tenant as never,
    title,
    scheduledAt: scheduledAt.toISOString(),
    campaign: 'winter-sale',
    link: 'https://bizoholic.example/blog/winter',
    variants: [
      { account: accounts.x, text: `${title} on X` },
      { account: accounts.bluesky, text: `${title} on Bluesky` },
    ],
    status,
    user: manager,
  } as never)

const postDoc = async (id: string | number) =>
  (await cms.payload.findByID({
    collection: 'social-posts' as never,
    id,
    depth: 0,
    overrideAccess: true,
  })) as unknown as {
    status: string
    scheduledAt: string
  }

const calendar = (view = 'week') => `/t/${tenant}/social?view=${view}&date=${dayOf(tuesday)}`

describe('the social calendar', () => {
  it('a manager approves an awaiting-approval post inline, and it is scheduled', async () => {
    const { post: created } = await post('Winter sale teaser', at(0, 11), 'awaiting-approval')
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', calendar())
    const chip = page.locator(`[data-day="${dayOf(tuesday)}"] [data-post="${created.id}"]`)
    await chip.getByText('Awaiting approval').waitFor()
    await page.screenshot({ path: path.join(shots, 'social-calendar.png'), fullPage: true })
    await chip.getByRole('button', { name: 'Approve' }).click()
    await page.locator('[data-calendar-message]').getByText('Approved and scheduled.').waitFor()
    await page.locator(`[data-post="${created.id}"][data-status="scheduled"]`).waitFor()
    expect((await postDoc(created.id)).status).toBe('scheduled')
    await page.context().close()
  })

  it('a manager drags a scheduled post to another day; the server has the new time', async () => {
    const { post: created } = await post('Thursday launch', at(0, 9), 'scheduled')
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', calendar())
    const chip = page.locator(`[data-post="${created.id}"]`)
    const thursday = dayOf(at(2, 0))
    await chip.dragTo(page.locator(`[data-day="${thursday}"]`))
    await page.locator('[data-calendar-message]').getByText(`Moved to ${thursday} 09:00 UTC.`).waitFor()
    await page.locator(`[data-day="${thursday}"] [data-post="${created.id}"]`).waitFor()
    expect((await postDoc(created.id)).scheduledAt).toBe(at(2, 9).toISOString())
    await page.screenshot({ path: path.join(shots, 'social-calendar-moved.png'), fullPage: true })
    await page.context().close()
  })

  it('moving a post into the past (the keyboard way, its Move form) is refused in the server’s words', async () => {
    const { post: created } = await post('Not yesterday', at(1, 10), 'scheduled')
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', calendar())
    const chip = page.locator(`[data-post="${created.id}"]`)
    await chip.locator('summary', { hasText: 'Move' }).click()
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10)
    await chip.getByLabel('New time (UTC)').fill(`${yesterday}T10:00`)
    await chip.getByRole('button', { name: 'Move' }).click()
    const refusal = page.locator('[data-calendar-message]').getByRole('alert')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('10:00 UTC yesterday; pick a time in the future')
    expect((await postDoc(created.id)).scheduledAt).toBe(at(1, 10).toISOString())
    await page.context().close()
  })

  it('a client reads the calendar (month view): no approve buttons, nothing to drag', async () => {
    const { post: created } = await post('Client preview', at(1, 15), 'awaiting-approval')
    const page = await newPage()
    await signIn(page, 'client@bizoholic.dev', calendar('month'))
    const chip = page.locator(`[data-post="${created.id}"]`)
    await chip.getByText('Awaiting approval').waitFor()
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0)
    expect(await page.locator('[data-post][draggable="true"]').count()).toBe(0)
    expect(await page.getByRole('link', { name: 'New post' }).count()).toBe(0)
    await page.screenshot({ path: path.join(shots, 'social-calendar-month.png'), fullPage: true })
    await page.context().close()
  })
})

describe('the composer', () => {
  it('counts X characters live, shows the over-limit error, and refuses to submit', async () => {
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', `/t/${tenant}/social/new`)
    await page.getByLabel('Title (for the calendar)').fill('Too long for X')
    await page.getByLabel('Bizoholic on X (@bizoholic)').check()
    await page.getByLabel('Bizoholic on Bluesky (@bizoholic)').check()
    const text = page.getByLabel('Text (shared by every account unless overridden)')
    const x = page.locator('[data-preview="x"]')
    await text.fill('Hello')
    expect(await x.locator('[data-count]').first().textContent()).toBe('5/280')
    await text.fill('a'.repeat(300))
    expect(await x.locator('[data-count]').first().textContent()).toBe('300/280')
    await x.getByText('X allows 280 characters per post; this text has 300.', { exact: false }).waitFor()
    expect(await page.locator('[data-preview="bluesky"] [data-count]').first().textContent()).toBe('300/300')
    expect(await page.getByRole('button', { name: 'Submit for approval' }).isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Approve & schedule' }).isDisabled()).toBe(true)
    await page.screenshot({ path: path.join(shots, 'social-composer.png'), fullPage: true })
    const before = (await cms.payload.count({ collection: 'social-posts' as never, overrideAccess: true })).totalDocs
    await page.getByRole('button', { name: 'Submit for approval' }).click({ force: true })
    expect((await cms.payload.count({ collection: 'social-posts' as never, overrideAccess: true })).totalDocs).toBe(
      before,
    )
    await page.context().close()
  })
})

describe('composing', () => {
  it('a manager saves a draft, edits it, and submits it for approval', async () => {
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', `/t/${tenant}/social/new`)
    await page.getByLabel('Title (for the calendar)').fill('Winter opening hours')
    await page.getByLabel('Bizoholic on X (@bizoholic)').check()
    await page.getByLabel('Text (shared by every account unless overridden)').fill('We open at 9 all winter.')
    await page.getByLabel('Campaign (UTM)').fill('winter-hours')
    await page.getByLabel('Link (a page, product or blog post)').fill('https://bizoholic.example/hours')
    await page.getByLabel('Publish at (UTC)').fill(at(2, 10).toISOString().slice(0, 16))
    await page
      .locator('[data-preview="x"] [data-link]')
      .getByText('utm_campaign=winter-hours', { exact: false })
      .waitFor()
    await page.getByRole('button', { name: 'Save draft' }).click()
    await page.waitForURL(/\/social\/posts\/\d+$/)
    const id = page.url().split('/').pop()!
    await page.locator('[data-post-status="draft"]').waitFor()

    await page.getByRole('link', { name: 'Edit draft' }).click()
    await page.waitForURL(`**/social/posts/${id}/edit`)
    await page.getByLabel('Text (shared by every account unless overridden)').fill('We open at 8 all winter.')
    await page.getByRole('button', { name: 'Submit for approval' }).click()
    await page.waitForURL(`**/social/posts/${id}`)
    await page.locator('[data-post-status="awaiting-approval"]').waitFor()
    expect(await postDoc(id)).toMatchObject({ status: 'awaiting-approval', scheduledAt: at(2, 10).toISOString() })
    const variants = await cms.payload.find({
      collection: 'social-variants' as never,
      where: { post: { equals: Number(id) } },
      depth: 0,
      overrideAccess: true,
    })
    expect(variants.docs).toMatchObject([
      { platform: 'x', text: 'We open at 8 all winter.', status: 'awaiting-approval' },
    ])
    expect((variants.docs[0] as unknown as { link: string }).link).toContain('utm_source=x')
    await page.context().close()
  })
})

describe('the composer and the server', () => {
  it('a refusal from the server (a disconnected account) is shown next to that account’s preview', async () => {
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', `/t/${tenant}/social/new`)
    await page.getByLabel('Title (for the calendar)').fill('To LinkedIn')
    await page.getByLabel('Bizoholic on LinkedIn (@bizoholic)').check()
    await page.locator('[data-platform-group="linkedin"]').getByText('needs reconnecting').waitFor()
    await page.getByLabel('Text (shared by every account unless overridden)').fill('Our winter hours, in short.')
    await page.getByLabel('Publish at (UTC)').fill(at(2, 12).toISOString().slice(0, 16))
    const before = (await cms.payload.count({ collection: 'social-posts' as never, overrideAccess: true })).totalDocs
    await page.getByRole('button', { name: 'Submit for approval' }).click()
    await page
      .locator('[data-preview="linkedin"]')
      .getByRole('alert')
      .filter({
        hasText: 'The LinkedIn account Bizoholic on LinkedIn is disconnected; reconnect it under Integrations first.',
      })
      .waitFor()
    expect(page.url()).toContain('/social/new')
    expect((await cms.payload.count({ collection: 'social-posts' as never, overrideAccess: true })).totalDocs).toBe(
      before,
    )
    await page.context().close()
  })
})

describe('a post’s page', () => {
  it('shows the published variant’s link and metrics, and lets a manager confirm an unconfirmed one', async () => {
    const { post: created, variants } = await post('Results day', at(3, 8), 'scheduled')
    const variantOn = (platform: string) => {
      const found = variants.find((v) => v.platform === platform)
      if (!found) throw new Error(`no ${platform} variant`)
      return found as { id: number | string }
    }
    const x = variantOn('x')
    const bluesky = variantOn('bluesky')
    // What the publisher writes: X went out; Bluesky's answer never came back.
    const sql = new pg.Client({ connectionString: cms.db.url })
    await sql.connect()
    try {
      await sql.query(
        `UPDATE social_variants SET status = 'published', published_at = now(), platform_url = $2,
           metrics_impressions = 1200, metrics_likes = 40, metrics_reposts = 6, metrics_replies = 3, metrics_clicks = 25
         WHERE id = $1`,
        [x.id, 'https://x.com/bizoholic/status/1'],
      )
      await sql.query(`UPDATE social_variants SET status = 'unconfirmed', error = $2 WHERE id = $1`, [
        bluesky.id,
        'Bluesky did not answer within 10 seconds; the post may or may not be there.',
      ])
    } finally {
      await sql.end()
    }
    const page = await newPage()
    await signIn(page, 'manager@bizoholic.dev', `/t/${tenant}/social/posts/${created.id}`)
    const xRow = page.locator(`tr[data-variant="${x.id}"]`)
    expect(await xRow.getByRole('link', { name: 'See it on X' }).getAttribute('href')).toBe(
      'https://x.com/bizoholic/status/1',
    )
    await page.locator('[data-chart="post"] svg').first().waitFor()
    const row = page.locator(`tr[data-variant="${bluesky.id}"]`)
    await row.getByText('Bluesky did not answer within 10 seconds').waitFor()
    expect(await row.getByRole('button', { name: 'Republish' }).isDisabled()).toBe(true)
    await page.screenshot({ path: path.join(shots, 'social-post.png'), fullPage: true })
    await row.getByLabel('Its address on Bluesky (optional)').fill('https://bsky.app/profile/bizoholic/post/1')
    await row.getByRole('button', { name: 'Confirm it was posted' }).click()
    await row.locator('.pill[data-status="published"]').waitFor()
    const saved = (await cms.payload.findByID({
      collection: 'social-variants' as never,
      id: bluesky.id,
      depth: 0,
      overrideAccess: true,
    })) as unknown as { status: string; platformUrl: string }
    expect(saved).toMatchObject({ status: 'published', platformUrl: 'https://bsky.app/profile/bizoholic/post/1' })

    // Both variants out: the post is published and counted on the metrics page, per platform and per post.
    await page.goto(`${portal.url}/t/${tenant}/social/metrics`)
    await page.locator('[data-chart="platforms"] svg').first().waitFor()
    await page.getByRole('link', { name: 'Results day' }).waitFor()
    await page.screenshot({ path: path.join(shots, 'social-metrics.png'), fullPage: true })
    await page.context().close()
  })
})

describe('social accounts', () => {
  it('a tenant admin picks the profile a social connection posts as and adds it; it is listed as connected', async () => {
    await saveConnection(cms.payload, {
      tenant: Number(tenant),
      connector: testConnector.id,
      name: 'Mastodon (bizoholic)',
      credentials: { handle: 'bizoholic' },
    } as never)
    const page = await newPage()
    await signIn(page, 'owner@bizoholic.dev', `/t/${tenant}/social/accounts`)
    const form = page.locator('form[data-add-account]')
    await form.getByLabel('Post as').selectOption({ label: 'Mastodon · Bizoholic News (@bizoholicnews) · profile' })
    await form.getByRole('button', { name: 'Add account' }).click()
    await form.getByRole('status').filter({ hasText: 'Account added.' }).waitFor()
    const row = page.locator('tr[data-social-account]').filter({ hasText: 'Bizoholic News' })
    await row.locator('.pill', { hasText: 'Connected' }).waitFor()
    // The account whose connection needs reconnecting says so, with the way to fix it.
    const stale = page.locator('tr[data-social-account]').filter({ hasText: 'Bizoholic on LinkedIn' })
    await stale.locator('.pill', { hasText: 'Needs reconnecting' }).waitFor()
    expect(await stale.getByRole('link', { name: 'Reconnect on Integrations' }).getAttribute('href')).toBe(
      `/t/${tenant}/integrations`,
    )
    const added = await cms.payload.find({
      collection: 'social-accounts' as never,
      where: { targetId: { equals: 'bizoholic-news' } },
      depth: 0,
      overrideAccess: true,
    })
    expect(added.docs).toMatchObject([{ platform: 'mastodon', name: 'Bizoholic News' }])
    await page.screenshot({ path: path.join(shots, 'social-accounts.png'), fullPage: true })
    await page.context().close()
  })
})
