/**
 * The social service on the real CMS (own database, real pg-boss): a post with a variant per account;
 * every bad input of the issue — text over a platform's limit, missing or oversized media, another
 * tenant's media, a time in the past, an account whose connection needs reconnecting — refused at save
 * and at approval with the rule and the platform named and nothing written (through the service, its
 * endpoints and REST alike); the steps draft → awaiting-approval → scheduled and back and who may take
 * them; publish jobs queued at the scheduled minute and moved with the post; status fields read-only
 * over the API; the calendar's range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  approveSocialPost,
  createSocialPost,
  rescheduleSocialPost,
  SocialError,
  submitSocialPost,
  unscheduleSocialPost,
} from './posts.ts'
import { type Doc, type Id, publishJobsOf, type SocialWorld, startSocialWorld } from './test/world.ts'

let world: SocialWorld
const HOUR = 3_600_000
const inHours = (h: number) => new Date(Date.now() + h * HOUR)

beforeAll(async () => {
  world = await startSocialWorld('social_posts')
})
afterAll(() => world?.close())

const rest = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, email?: string, body?: unknown) =>
  world.cms.rest.request(method, path, { token: email ? world.tokens[email] : undefined, body })

/** Counts of posts and variants, to show a refusal wrote nothing. */
const counts = async () => [await world.count('social-posts'), await world.count('social-variants')]

/** Runs `fn`, expects a SocialError, and returns it. */
async function refused(fn: () => Promise<unknown>): Promise<SocialError> {
  const error = await fn().then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SocialError)
  return error as SocialError
}

const draft = (variants: { account: Id; text: string; thread?: string[]; media?: Id[] }[], extra = {}) =>
  createSocialPost(world.cms.payload, {
    tenant: world.tenants.a,
    title: 'Spring sale',
    link: 'https://bizoholic.example/blog/spring?ref=home#top',
    campaign: 'spring-2027',
    scheduledAt: inHours(24),
    variants,
    ...extra,
  })

describe('creating a post with variants', () => {
  it('writes the post and one variant per account, each with its platform and UTM link', async () => {
    const { post, variants, warnings } = await draft([
      { account: world.accounts.a.x, text: 'Spring sale: 20% off everything 🌷' },
      {
        account: world.accounts.a.linkedin,
        text: 'Our spring sale starts today.',
        thread: [],
        media: [world.media.a],
      },
    ])
    expect(post).toMatchObject({ title: 'Spring sale', status: 'draft', campaign: 'spring-2027' })
    expect(variants.map((v) => [v.platform, v.status])).toEqual([
      ['x', 'draft'],
      ['linkedin', 'draft'],
    ])
    const link = new URL(variants[0]!.link as string)
    expect(Object.fromEntries(link.searchParams)).toEqual({
      ref: 'home',
      utm_source: 'x',
      utm_medium: 'social',
      utm_campaign: 'spring-2027',
      utm_content: `account-${world.accounts.a.x}`,
    })
    expect(link.hash).toBe('#top')
    expect(new URL(variants[1]!.link as string).searchParams.get('utm_source')).toBe('linkedin')
    expect(variants[1]!.media).toEqual([world.media.a])
    expect(warnings.filter((w) => w.severity === 'error')).toEqual([])
  })

  it('a thread keeps its parts in order', async () => {
    const { variants } = await draft([{ account: world.accounts.a.x, text: 'A thread 🧵', thread: ['Two', 'Three'] }])
    expect((variants[0]!.thread as { text: string }[]).map((p) => p.text)).toEqual(['Two', 'Three'])
  })
})

describe('bad input is refused at save, with the rule and the platform named, and nothing written', () => {
  const cases: [string, () => Parameters<typeof draft>, RegExp, string][] = [
    [
      'text over X’s limit',
      () => [[{ account: world.accounts.a.x, text: 'x'.repeat(281) }]],
      /X allows 280/,
      'max-chars',
    ],
    [
      'Instagram without an image',
      () => [[{ account: world.accounts.a.instagram, text: 'New in the shop', media: [] }]],
      /Instagram/,
      'media-required',
    ],
    [
      'media of another tenant',
      () => [[{ account: world.accounts.a.x, text: 'Look', media: [world.media.b] }]],
      /X: attachment \d+ is not in this tenant’s media/,
      'media-missing',
    ],
    [
      'an account of another tenant',
      () => [[{ account: world.accounts.b.x, text: 'Hello' }]],
      /does not exist in this tenant/,
      'account',
    ],
    [
      'scheduled for yesterday',
      () => [[{ account: world.accounts.a.x, text: 'Hello' }], { status: 'scheduled', scheduledAt: inHours(-24) }],
      /^X: this post is scheduled for \d\d:\d\d UTC (yesterday|on \d{4}-\d\d-\d\d); pick a time in the future\.$/,
      'scheduled-at',
    ],
  ]
  it.each(cases)('%s', async (_name, args, message, rule) => {
    const before = await counts()
    const error = await refused(() => draft(...(args() as [never, never])))
    expect(error.status).toBe(422)
    expect(error.message).toMatch(message)
    expect(error.issues?.map((i) => i.rule)).toContain(rule)
    expect(await counts()).toEqual(before)
  })

  it('oversized media', async () => {
    const big = (await world.cms.payload.create({
      collection: 'media',
      data: { tenant: world.tenants.a, alt: 'A big one' } as never,
      file: {
        data: Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
          'base64',
        ),
        mimetype: 'image/png',
        name: 'big.png',
        size: 70,
      },
    })) as unknown as Doc
    // As the database has it: larger than X takes (5 MB for images).
    await world.sql.query('UPDATE media SET filesize = $1 WHERE id = $2', [40_000_000, big.id])
    const before = await counts()
    const error = await refused(() => draft([{ account: world.accounts.a.x, text: 'Big', media: [big.id] }]))
    expect(error.issues?.find((i) => i.rule === 'media-size')).toMatchObject({ platform: 'x', severity: 'error' })
    expect(error.message).toMatch(/X/)
    expect(await counts()).toEqual(before)
  })

  it('an account whose connection needs reconnecting', async () => {
    const connection = world.connections.a['test-linkedin']!
    await world.sql.query(`UPDATE connections SET status = 'needs-reconnect' WHERE id = $1`, [connection])
    try {
      const before = await counts()
      const error = await refused(() =>
        draft([
          { account: world.accounts.a.x, text: 'Fine on X' },
          { account: world.accounts.a.linkedin, text: 'Fine text on LinkedIn' },
        ]),
      )
      expect(error.message).toBe('The LinkedIn account Acme is disconnected; reconnect it under Integrations first.')
      expect(error.issues).toEqual([expect.objectContaining({ rule: 'connection', platform: 'linkedin' })])
      // Nothing half-written: not the post, not the X variant that was fine.
      expect(await counts()).toEqual(before)
    } finally {
      await world.sql.query(`UPDATE connections SET status = 'connected' WHERE id = $1`, [connection])
    }
  })

  it('over /api/social/posts: 422 with the message and the issues, nothing written', async () => {
    const before = await counts()
    const res = await rest('POST', '/social/posts', 'manager@bizoholic.dev', {
      tenant: world.tenants.a,
      title: 'Too long',
      variants: [
        { account: world.accounts.a.linkedin, text: 'Fine' },
        { account: world.accounts.a.x, text: 'y'.repeat(400) },
      ],
    })
    expect(res.status).toBe(422)
    expect(res.body.error).toMatch(/X allows 280 characters/)
    expect((res.body.issues as { rule: string; platform: string }[])[0]).toMatchObject({
      rule: 'max-chars',
      platform: 'x',
    })
    expect(await counts()).toEqual(before)
  })

  it('over REST on the collections: a variant over the limit is refused and not written', async () => {
    const { post } = await draft([{ account: world.accounts.a.linkedin, text: 'Fine' }])
    const before = await counts()
    const res = await rest('POST', '/social-variants', 'manager@bizoholic.dev', {
      tenant: world.tenants.a,
      post: post.id,
      account: world.accounts.a.x,
      text: 'z'.repeat(300),
    })
    expect(res.status, JSON.stringify(res.body)).toBe(422)
    expect(JSON.stringify(res.body)).toMatch(/X allows 280 characters/)
    expect(await counts()).toEqual(before)
    // Within the rules it is added, with the platform and link derived, and the status a draft's.
    const ok = await rest('POST', '/social-variants', 'manager@bizoholic.dev', {
      tenant: world.tenants.a,
      post: post.id,
      account: world.accounts.a.x,
      text: 'Short and sweet',
      status: 'published',
    })
    expect(ok.status, JSON.stringify(ok.body)).toBe(201)
    expect(ok.body.doc).toMatchObject({ platform: 'x', status: 'draft' })
    expect(new URL((ok.body.doc as Doc).link as string).searchParams.get('utm_source')).toBe('x')
    // One variant per account: a second for X is refused.
    const twice = await rest('POST', '/social-variants', 'manager@bizoholic.dev', {
      tenant: world.tenants.a,
      post: post.id,
      account: world.accounts.a.x,
      text: 'Again',
    })
    expect(twice.status).toBe(409)
  })
})

describe('the steps of a post, and who may take them', () => {
  it('draft → submit → approve (jobs queued at the minute) → reschedule (jobs moved) → unschedule (jobs gone)', async () => {
    const created = await rest('POST', '/social/posts', 'manager@bizoholic.dev', {
      tenant: world.tenants.a,
      title: 'Launch',
      link: 'https://bizoholic.example/launch',
      scheduledAt: inHours(5).toISOString(),
      variants: [
        { account: world.accounts.a.x, text: 'We launch today' },
        { account: world.accounts.a.linkedin, text: 'We launch today, with a longer note' },
      ],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = (created.body.post as Doc).id
    const variants = (created.body.variants as Doc[]).map((v) => v.id)
    const step = (action: string, email: string, body: Record<string, unknown> = {}) =>
      rest('POST', `/social/posts/${id}/${action}`, email, { tenant: world.tenants.a, ...body })

    // Approving a draft: first it must be submitted.
    expect((await step('approve', 'owner@bizoholic.dev')).status).toBe(409)
    // A client reads but does not submit; the other tenant's manager does not even see it.
    expect((await step('submit', 'client@bizoholic.dev')).status).toBe(403)
    expect((await step('submit', 'manager@coreldove.dev')).status).toBe(404)
    const submitted = await step('submit', 'manager@bizoholic.dev')
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    expect((submitted.body.post as Doc).status).toBe('awaiting-approval')
    expect((submitted.body.variants as Doc[]).map((v) => v.status)).toEqual(['awaiting-approval', 'awaiting-approval'])

    // The user in two tenants approves only where they are a manager: in the tenant where they are a
    // client, 403 (and the post is not looked up there at all).
    const across = await rest('POST', `/social/posts/${id}/approve`, 'mixed@example.dev', { tenant: world.tenants.b })
    expect(across.status).toBe(403)
    // A manager of the other tenant naming their own tenant: no such post there.
    const foreign = await rest('POST', `/social/posts/${id}/approve`, 'manager@coreldove.dev', {
      tenant: world.tenants.b,
    })
    expect(foreign.status).toBe(404)
    const approved = await step('approve', 'mixed@example.dev')
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect((approved.body.post as Doc).status).toBe('scheduled')
    expect((approved.body.post as Doc).approvedAt).toBeTruthy()
    for (const v of variants) {
      const jobs = await publishJobsOf(world, v)
      expect(jobs).toHaveLength(1)
      expect(Math.abs(jobs[0]!.getTime() - inHours(5).getTime())).toBeLessThan(60_000)
    }

    // Text of a scheduled post cannot be edited over REST; its status never can be.
    const edit = await rest('PATCH', `/social-variants/${variants[0]}`, 'manager@bizoholic.dev', { text: 'Changed' })
    expect(edit.status).toBe(409)
    expect(JSON.stringify(edit.body)).toMatch(/unschedule it first/)
    const title = await rest('PATCH', `/social-posts/${id}`, 'manager@bizoholic.dev', { title: 'Renamed' })
    expect(title.status).toBe(409)
    // Nor deleted while scheduled; nor its account while variants use it (switched off instead).
    const gone = await rest('DELETE', `/social-posts/${id}`, 'owner@bizoholic.dev')
    expect(gone.status).toBe(409)
    expect(JSON.stringify(gone.body)).toMatch(/unschedule it first/)
    const account = await rest('DELETE', `/social-accounts/${world.accounts.a.x}`, 'owner@bizoholic.dev')
    expect(account.status).toBe(409)
    expect(JSON.stringify(account.body)).toMatch(/switch it off/)

    const moved = await step('reschedule', 'manager@bizoholic.dev', { scheduledAt: inHours(30).toISOString() })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    for (const v of variants) {
      const jobs = await publishJobsOf(world, v)
      expect(jobs).toHaveLength(1)
      expect(Math.abs(jobs[0]!.getTime() - inHours(30).getTime())).toBeLessThan(60_000)
    }
    const past = await step('reschedule', 'manager@bizoholic.dev', { scheduledAt: inHours(-2).toISOString() })
    expect(past.status).toBe(422)
    expect(past.body.error).toMatch(/^X: this post is scheduled for .*; pick a time in the future\./)

    const off = await step('unschedule', 'owner@bizoholic.dev')
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    expect((off.body.post as Doc).status).toBe('draft')
    for (const v of variants) expect(await publishJobsOf(world, v)).toEqual([])
    // A draft again: editable over REST.
    const again = await rest('PATCH', `/social-variants/${variants[0]}`, 'manager@bizoholic.dev', { text: 'Changed' })
    expect(again.status, JSON.stringify(again.body)).toBe(200)
  })

  it('reject sends it back to draft with the note; status is read-only over REST and GraphQL', async () => {
    const { post } = await draft([{ account: world.accounts.a.x, text: 'Please review' }], {
      status: 'awaiting-approval',
    })
    const res = await rest('POST', `/social/posts/${post.id}/reject`, 'owner@bizoholic.dev', {
      tenant: world.tenants.a,
      note: 'Mention the dates',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.post).toMatchObject({ status: 'draft', rejectionNote: 'Mention the dates' })

    const forced = await rest('PATCH', `/social-posts/${post.id}`, 'owner@bizoholic.dev', { status: 'published' })
    expect(forced.status).toBe(200)
    expect((forced.body.doc as Doc).status).toBe('draft')
    const gql = await world.cms.graphql(
      `mutation { updateSocialPost(id: ${post.id}, data: { title: "Still a draft" }) { id status } }`,
      world.tokens['owner@bizoholic.dev'],
    )
    expect(gql.errors).toBeUndefined()
    expect((gql.data?.updateSocialPost as Doc | undefined)?.status).toBe('draft')
  })

  it('approval checks again: a connection lost and a time passed since submission both refuse it', async () => {
    const { post, variants } = await draft([{ account: world.accounts.a.linkedin, text: 'Waiting for approval' }], {
      status: 'awaiting-approval',
    })
    const connection = world.connections.a['test-linkedin']!
    await world.sql.query(`UPDATE connections SET status = 'needs-reconnect' WHERE id = $1`, [connection])
    await world.sql.query(`UPDATE social_posts SET scheduled_at = now() - interval '1 hour' WHERE id = $1`, [post.id])
    try {
      const error = await refused(() =>
        approveSocialPost(world.cms.payload, { tenant: world.tenants.a, post: post.id, user: null }),
      )
      expect(error.message).toMatch(
        /The LinkedIn account Acme is disconnected; reconnect it under Integrations first\./,
      )
      expect(error.message).toMatch(/LinkedIn: this post is scheduled for .*; pick a time in the future\./)
      const stored = await world.cms.payload.findByID({ collection: 'social-posts', id: post.id, depth: 0 })
      expect(stored.status).toBe('awaiting-approval')
      expect(await publishJobsOf(world, variants[0]!.id as Id)).toEqual([])
    } finally {
      await world.sql.query(`UPDATE connections SET status = 'connected' WHERE id = $1`, [connection])
    }
  })

  /** Bad input that appears between submission and approval (edited in the database behind the API's back). */
  const atApproval: [string, (post: Doc, variant: Doc) => Promise<void>, string, RegExp][] = [
    [
      'text now over X’s limit',
      async (_post, variant) => {
        await world.sql.query('UPDATE social_variants SET text = $1 WHERE id = $2', ['q'.repeat(300), variant.id])
      },
      'max-chars',
      /X allows 280 characters/,
    ],
    [
      'its image now larger than X takes',
      async () => {
        await world.sql.query('UPDATE media SET filesize = $1 WHERE id = $2', [40_000_000, approvalMedia])
      },
      'media-size',
      /X/,
    ],
    [
      'its image no longer in the tenant',
      async () => {
        await world.sql.query('UPDATE media SET tenant_id = $1 WHERE id = $2', [world.tenants.b, approvalMedia])
      },
      'media-missing',
      /X: attachment \d+ is not in this tenant’s media/,
    ],
  ]
  let approvalMedia: Id
  it.each(atApproval)(
    'approval refuses %s, naming the rule and the platform, and changes nothing',
    async (_n, breakIt, rule, message) => {
      approvalMedia = (
        (await world.cms.payload.create({
          collection: 'media',
          data: { tenant: world.tenants.a, alt: 'For approval' } as never,
          file: {
            data: Buffer.from(
              'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
              'base64',
            ),
            mimetype: 'image/png',
            name: 'approval.png',
            size: 70,
          },
        })) as unknown as Doc
      ).id
      const { post, variants } = await draft(
        [{ account: world.accounts.a.x, text: 'Fine when submitted', media: [approvalMedia] }],
        {
          status: 'awaiting-approval',
        },
      )
      await breakIt(post as Doc, variants[0] as Doc)
      const res = await rest('POST', `/social/posts/${post.id}/approve`, 'owner@bizoholic.dev', {
        tenant: world.tenants.a,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(422)
      expect(res.body.error).toMatch(message)
      expect((res.body.issues as { rule: string; platform: string }[]).find((i) => i.rule === rule)).toMatchObject({
        platform: 'x',
      })
      const stored = await world.cms.payload.findByID({ collection: 'social-posts', id: post.id, depth: 0 })
      expect([stored.status, stored.approvedAt ?? null]).toEqual(['awaiting-approval', null])
      expect(await publishJobsOf(world, variants[0]!.id as Id)).toEqual([])
    },
  )

  it('submit checks the rules too, and a scheduled post cannot be submitted or approved twice', async () => {
    const { post } = await draft([{ account: world.accounts.a.x, text: 'Fine for now' }])
    await world.sql.query(`UPDATE social_variants SET text = $1 WHERE post_id = $2`, ['w'.repeat(290), post.id])
    const error = await refused(() =>
      submitSocialPost(world.cms.payload, { tenant: world.tenants.a, post: post.id, user: null }),
    )
    expect(error.issues?.[0]).toMatchObject({ rule: 'max-chars', platform: 'x' })

    const { post: ready } = await draft([{ account: world.accounts.a.x, text: 'Ready' }], { status: 'scheduled' })
    const twice = await refused(() =>
      approveSocialPost(world.cms.payload, { tenant: world.tenants.a, post: ready.id, user: null }),
    )
    expect(twice.status).toBe(409)
    // Unscheduled it is a draft again; unscheduling that is refused; rescheduling it moves its time only.
    await unscheduleSocialPost(world.cms.payload, { tenant: world.tenants.a, post: ready.id })
    expect(
      (await refused(() => unscheduleSocialPost(world.cms.payload, { tenant: world.tenants.a, post: ready.id })))
        .status,
    ).toBe(409)
    const moved = await rescheduleSocialPost(world.cms.payload, {
      tenant: world.tenants.a,
      post: ready.id,
      scheduledAt: inHours(48),
    })
    expect(moved.post.status).toBe('draft')
    expect(moved.variants[0]!.scheduledAt).toBe(moved.post.scheduledAt)
    expect(Math.abs(new Date(moved.post.scheduledAt as string).getTime() - inHours(48).getTime())).toBeLessThan(60_000)
  })
})

describe('the calendar and the checks', () => {
  it('lists the posts scheduled in the range with their variants and accounts, plus unscheduled drafts', async () => {
    const from = inHours(24 * 10)
    const to = inHours(24 * 17)
    const inside = await draft([{ account: world.accounts.a.x, text: 'Inside' }], { scheduledAt: inHours(24 * 12) })
    const outside = await draft([{ account: world.accounts.a.x, text: 'Outside' }], { scheduledAt: inHours(24 * 20) })
    const loose = await draft([{ account: world.accounts.a.x, text: 'No time yet' }], { scheduledAt: null })
    const theirs = await createSocialPost(world.cms.payload, {
      tenant: world.tenants.b,
      title: 'Their post',
      scheduledAt: inHours(24 * 12),
      variants: [{ account: world.accounts.b.x, text: 'Theirs' }],
    })
    const q = `/social/calendar?tenant=${world.tenants.a}&from=${from.toISOString()}&to=${to.toISOString()}`
    const res = await rest('GET', q, 'client@bizoholic.dev')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const ids = (res.body.posts as Doc[]).map((p) => p.id)
    expect(ids).toContain(inside.post.id)
    expect(ids).not.toContain(outside.post.id)
    expect(ids).not.toContain(theirs.post.id)
    expect((res.body.unscheduled as Doc[]).map((p) => p.id)).toContain(loose.post.id)
    const listed = (res.body.posts as (Doc & { variants: Doc[] })[]).find((p) => p.id === inside.post.id)!
    expect(listed.variants.map((v) => v.text)).toEqual(['Inside'])
    expect((res.body.accounts as Doc[]).map((a) => a.name).sort()).toEqual(['Acme', 'Acme', 'Acme Shop'])

    expect((await rest('GET', q, 'owner@coreldove.dev')).status).toBe(404)
    expect((await rest('GET', q)).status).toBe(401)
    const tooLong = await rest(
      'GET',
      `/social/calendar?tenant=${world.tenants.a}&from=${from.toISOString()}&to=${inHours(24 * 200).toISOString()}`,
      'client@bizoholic.dev',
    )
    expect(tooLong.status).toBe(400)
  })

  it('metrics: what the variants published in the range earned, per post, per platform and in total', async () => {
    const { post, variants } = await draft([
      { account: world.accounts.a.x, text: 'Measured on X' },
      { account: world.accounts.a.linkedin, text: 'Measured on LinkedIn' },
    ])
    const publish = (id: Id, at: Date, impressions: number, likes: number) =>
      world.sql.query(
        `UPDATE social_variants SET status = 'published', published_at = $2, metrics_impressions = $3,
           metrics_likes = $4, platform_url = 'https://example.social/' || id WHERE id = $1`,
        [id, at, impressions, likes],
      )
    await publish(variants[0]!.id as Id, inHours(-30), 1000, 40)
    await publish(variants[1]!.id as Id, inHours(-2), 300, 9)
    const { post: old, variants: oldVariants } = await draft([{ account: world.accounts.a.x, text: 'Long ago' }])
    await publish(oldVariants[0]!.id as Id, inHours(-24 * 40), 5000, 500)
    const q = `/social/metrics?tenant=${world.tenants.a}&from=${inHours(-24 * 7).toISOString()}&to=${inHours(1).toISOString()}`
    const res = await rest('GET', q, 'client@bizoholic.dev')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.totals).toEqual({ impressions: 1300, likes: 49, reposts: 0, replies: 0, clicks: 0 })
    const platforms = Object.fromEntries((res.body.platforms as Doc[]).map((p) => [p.platform, p]))
    expect(platforms.x).toMatchObject({ variants: 1, impressions: 1000, likes: 40 })
    expect(platforms.linkedin).toMatchObject({ variants: 1, impressions: 300, likes: 9 })
    const posts = res.body.posts as (Doc & { totals: Doc; variants: Doc[] })[]
    expect(posts.map((p) => p.id)).toEqual([post.id])
    expect(posts[0]!.totals).toMatchObject({ impressions: 1300, likes: 49 })
    expect(posts[0]!.variants.map((v) => v.platformUrl)).toEqual(variants.map((v) => `https://example.social/${v.id}`))
    expect(posts.map((p) => p.id)).not.toContain(old.id)
    expect((await rest('GET', q, 'owner@coreldove.dev')).status).toBe(404)
  })

  it('validate answers the issues without saving anything', async () => {
    const before = await counts()
    const res = await rest('POST', '/social/validate', 'client@bizoholic.dev', {
      tenant: world.tenants.a,
      platform: 'instagram',
      text: 'No image',
    })
    expect(res.status).toBe(200)
    expect(res.body.ok).toBe(false)
    expect((res.body.issues as { rule: string }[]).map((i) => i.rule)).toContain('media-required')
    const fine = await rest('POST', '/social/validate', 'client@bizoholic.dev', {
      tenant: world.tenants.a,
      account: world.accounts.a.x,
      text: 'With an image',
      media: [world.media.a],
    })
    expect(fine.body.ok, JSON.stringify(fine.body)).toBe(true)
    expect(await counts()).toEqual(before)
  })
})

describe('accounts', () => {
  it('targets lists what a connection may post as; adding one checks it and refuses a second', async () => {
    const q = `/social/accounts/targets?tenant=${world.tenants.a}&connection=${world.connections.a['test-x']}`
    expect((await rest('GET', q, 'manager@bizoholic.dev')).status).toBe(403)
    const res = await rest('GET', q, 'owner@bizoholic.dev')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect((res.body.targets as Doc[]).map((t) => [t.id, t.platform, t.account !== null])).toEqual([
      ['acme-a-profile', 'x', true],
      ['acme-a-org', 'x', false],
    ])
    const add = (targetId: string, email = 'owner@bizoholic.dev') =>
      rest('POST', '/social/accounts', email, {
        tenant: world.tenants.a,
        connection: world.connections.a['test-x'],
        targetId,
      })
    const wrong = await add('someone-else')
    expect(wrong.status).toBe(422)
    expect(wrong.body.error).toMatch(/cannot post as someone-else/)
    expect((await add('acme-a-org', 'manager@bizoholic.dev')).status).toBe(403)
    const added = await add('acme-a-org')
    expect(added.status, JSON.stringify(added.body)).toBe(201)
    expect(added.body.account).toMatchObject({ platform: 'x', targetType: 'organization', name: 'acme-a Org' })
    const again = await add('acme-a-org')
    expect(again.status).toBe(409)
    // Another tenant's connection, named in this tenant: not found.
    const across = await rest('POST', '/social/accounts', 'owner@bizoholic.dev', {
      tenant: world.tenants.a,
      connection: world.connections.b['test-x'],
      targetId: 'acme-b-org',
    })
    expect(across.status).toBe(404)
    // Over REST nobody adds one (it would skip asking the platform).
    const direct = await rest('POST', '/social-accounts', 'owner@bizoholic.dev', {
      tenant: world.tenants.a,
      platform: 'x',
      connection: world.connections.a['test-x'],
      targetId: 'forged',
      targetType: 'profile',
      name: 'Forged',
    })
    expect(direct.status).toBe(403)
  })
})
