/**
 * The demo's social side (`pnpm dev` with its mock services): the first tenant's Mastodon and Bluesky
 * accounts, connected with the mocks' dev credentials, and three posts — one scheduled a few minutes
 * after the seed (a newcomer watches it publish in the mock-services output), one awaiting approval in
 * the calendar, one draft. Idempotent like the rest of the seed: what exists is left alone.
 */
import { saveConnection } from '@bizosaas/plugin-connectors'
import { createSocialPost, SOCIAL_ACCOUNTS, SOCIAL_POSTS } from '@bizosaas/plugin-social'
import { MOCK_BLUESKY_ACCOUNT, MOCK_MASTODON_ACCOUNT } from '@bizosaas/plugin-social/testing'
import { DEV_SOCIAL_CREDENTIALS } from '@bizosaas/plugin-social/testing/mock-services'
import type { CollectionSlug, Payload } from 'payload'

type Id = number

export interface SocialSeedArgs {
  tenant: Id
  /** The tenant's public site, for the posts' links (`https://bizoholic.localhost`). */
  origin: string
  /** A published blog post the scheduled post links to. */
  blogPost: { id: Id; slug: string; title: string }
}

const find = async (payload: Payload, collection: string, where: Record<string, unknown>) =>
  (
    await payload.find({
      collection: collection as CollectionSlug,
      where: where as never,
      limit: 1,
      depth: 0,
      overrideAccess: true,
    })
  ).docs[0] as { id: Id } | undefined

/** Connects the mock accounts and writes the demo posts; returns how many posts it created. */
export async function seedSocial(payload: Payload, args: SocialSeedArgs): Promise<number> {
  const { tenant } = args
  const accounts: Id[] = []
  for (const spec of [
    {
      connector: 'mastodon',
      credentials: DEV_SOCIAL_CREDENTIALS.mastodon,
      account: `@${MOCK_MASTODON_ACCOUNT.username}@mastodon.social`,
      targetId: MOCK_MASTODON_ACCOUNT.id,
      name: MOCK_MASTODON_ACCOUNT.displayName,
      handle: `@${MOCK_MASTODON_ACCOUNT.username}`,
    },
    {
      connector: 'bluesky',
      credentials: DEV_SOCIAL_CREDENTIALS.bluesky,
      account: `@${MOCK_BLUESKY_ACCOUNT.handle}`,
      targetId: MOCK_BLUESKY_ACCOUNT.did,
      name: MOCK_BLUESKY_ACCOUNT.displayName,
      handle: `@${MOCK_BLUESKY_ACCOUNT.handle}`,
    },
  ] as const) {
    const connection =
      (await find(payload, 'connections', { tenant: { equals: tenant }, connector: { equals: spec.connector } }))?.id ??
      Number(
        (
          await saveConnection(payload, {
            tenant,
            connector: spec.connector,
            credentials: spec.credentials,
            account: spec.account,
          })
        ).id,
      )
    const existing = await find(payload, SOCIAL_ACCOUNTS, {
      tenant: { equals: tenant },
      platform: { equals: spec.connector },
      targetId: { equals: spec.targetId },
    })
    accounts.push(
      existing?.id ??
        (
          (await payload.create({
            collection: SOCIAL_ACCOUNTS as CollectionSlug,
            overrideAccess: true,
            data: {
              tenant,
              platform: spec.connector,
              connection,
              targetId: spec.targetId,
              targetType: 'profile',
              name: spec.name,
              handle: spec.handle,
            } as never,
          })) as { id: Id }
        ).id,
    )
  }

  const link = `${args.origin}/blog/${args.blogPost.slug}`
  const tomorrowNine = new Date()
  tomorrowNine.setUTCDate(tomorrowNine.getUTCDate() + 1)
  tomorrowNine.setUTCHours(9, 0, 0, 0)
  const demo = [
    {
      title: `Demo: ${args.blogPost.title}`,
      status: 'scheduled' as const,
      // A few minutes out: long enough for the workers to start, short enough to watch it publish.
      scheduledAt: new Date(Date.now() + 3 * 60_000),
      source: { kind: 'post' as const, id: String(args.blogPost.id) },
      text: `${args.blogPost.title}: plan a month of posts in an hour, and let an agent draft them. #socialmedia`,
    },
    {
      title: 'Demo: spring content calendar',
      status: 'awaiting-approval' as const,
      scheduledAt: tomorrowNine,
      source: { kind: 'brief' as const, brief: 'Announce the spring content calendar offer' },
      text: 'Spring is here: our content calendar for the season is ready. Approve your posts from your phone. #marketing',
    },
    {
      title: 'Demo: customer story (draft)',
      status: 'draft' as const,
      scheduledAt: null,
      source: { kind: 'brief' as const, brief: 'A customer story about doubling organic traffic' },
      text: 'How one shop doubled its organic traffic in 90 days, with agents drafting and people approving.',
    },
  ]
  let created = 0
  for (const post of demo) {
    if (await find(payload, SOCIAL_POSTS, { tenant: { equals: tenant }, title: { equals: post.title } })) continue
    await createSocialPost(payload, {
      tenant,
      title: post.title,
      status: post.status,
      scheduledAt: post.scheduledAt,
      link,
      source: post.source,
      variants: accounts.map((account) => ({ account, text: post.text })),
    })
    created += 1
  }
  return created
}
