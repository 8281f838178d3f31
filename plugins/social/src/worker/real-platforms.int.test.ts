/**
 * The publisher with the real platforms (Mastodon: idempotency key; Bluesky: lookup) as `pnpm worker`
 * runs them: the CMS's default social plugin (every platform, their connectors), URLs pointed at the mock
 * social APIs by the environment, connections saved sealed with stored credentials. A post with a thread
 * goes to both at its minute, once each; a hang after Mastodon made the post is left unconfirmed and the
 * person's check finds it there.
 */
import { randomBytes } from 'node:crypto'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { connectionClient, saveConnection } from '@bizosaas/plugin-connectors'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SERVICE_WRITE } from '../collections/fields.ts'
import { socialPlatformOf } from '../defaults.ts'
import { createSocialPost } from '../posts.ts'
import { MOCK_BLUESKY_ACCOUNT, type MockSocialApis, startMockSocialApis } from '../testing/index.ts'
import { type SocialWorker, startSocialWorker } from './index.ts'
import { stopSocialBoss } from './queue.ts'

process.env.VAULT_KEYS ??= `k1:${randomBytes(32).toString('base64')}`
let cms: TestCms
let apis: MockSocialApis
let worker: SocialWorker
let tenant: number
const envSet: string[] = []
const accounts: Record<'mastodon' | 'bluesky', number> = { mastodon: 0, bluesky: 0 }

const variant = async (id: number | string) =>
  (await cms.payload.findByID({
    collection: 'social-variants' as never,
    id,
    depth: 0,
    overrideAccess: true,
  })) as unknown as {
    id: number
    status: string
    error?: string
    platformPostId?: string
    platformUrl?: string
    threadIds?: string[]
  }
const settled = (id: number | string) =>
  until(
    `variant ${id} to settle`,
    async () => {
      const doc = await variant(id)
      return ['published', 'failed', 'unconfirmed'].includes(doc.status) && doc
    },
    30_000,
  )

beforeAll(async () => {
  apis = await startMockSocialApis()
  for (const [name, value] of Object.entries(apis.overrides())) {
    process.env[name] = value
    envSet.push(name)
  }
  cms = await startTestCms('social_real_platforms', { social: { publisher: { publishTimeoutMs: 2_000 } } })
  await seed(cms.payload)
  tenant = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } } })).docs[0]!
    .id as number
  const connections = {
    mastodon: await saveConnection(cms.payload, {
      tenant,
      connector: 'mastodon',
      credentials: { instanceUrl: 'https://mastodon.example', accessToken: apis.issueToken() },
    }),
    bluesky: await saveConnection(cms.payload, {
      tenant,
      connector: 'bluesky',
      credentials: { identifier: MOCK_BLUESKY_ACCOUNT.handle, appPassword: MOCK_BLUESKY_ACCOUNT.appPassword },
    }),
  }
  for (const id of ['mastodon', 'bluesky'] as const) {
    const platform = socialPlatformOf(cms.payload, id)!
    const client = await connectionClient(cms.payload, {
      tenant,
      connector: platform.connector,
      connection: connections[id].id,
    })
    const [target] = await platform.targets(client)
    const doc = (await cms.payload.create({
      collection: 'social-accounts' as never,
      data: {
        tenant,
        platform: id,
        connection: connections[id].id,
        targetId: target!.id,
        targetType: target!.type,
        name: target!.name,
        handle: target!.handle,
        active: true,
      } as never,
      overrideAccess: true,
      context: { [SERVICE_WRITE]: true },
    })) as unknown as { id: number }
    accounts[id] = doc.id
  }
  worker = await startSocialWorker(cms.payload)
})

afterAll(async () => {
  await worker?.stop({ graceMs: 1_000 })
  await stopSocialBoss(cms?.payload)
  for (const name of envSet) delete process.env[name]
  await cms?.close()
  await apis?.close()
})

const schedule = async (text: string, thread: string[] = []) =>
  (
    await createSocialPost(cms.payload, {
      tenant,
      title: text,
      scheduledAt: new Date(Date.now() + 1_500),
      status: 'scheduled',
      variants: [
        { account: accounts.mastodon, text, thread },
        { account: accounts.bluesky, text, thread },
      ],
    })
  ).variants.map((v) => (v as { id: number }).id)

it('posts a thread to Mastodon and Bluesky at its minute, once each', async () => {
  const before = { mastodon: apis.creates('mastodon'), bluesky: apis.creates('bluesky') }
  const [m, b] = await schedule(`Launch day ${randomBytes(3).toString('hex')}`, ['Second part'])
  const [dm, db] = [await settled(m!), await settled(b!)]
  expect([dm.status, db.status]).toEqual(['published', 'published'])
  expect(dm.threadIds).toHaveLength(1)
  expect(db.threadIds).toHaveLength(1)
  expect(apis.creates('mastodon') - before.mastodon).toBe(2)
  expect(apis.creates('bluesky') - before.bluesky).toBe(2)
  expect(dm.platformUrl).toMatch(/^https?:\/\//)
})

it('a hang after Mastodon made the post: unconfirmed, not re-sent; the check finds it', async () => {
  apis.fault('mastodon', { kind: 'create', hang: true, after: 'handle' })
  const before = apis.creates('mastodon')
  const [m, b] = await schedule(`Hanging ${randomBytes(3).toString('hex')}`)
  const dm = await settled(m!)
  expect(dm.status).toBe('unconfirmed')
  expect(dm.error).toMatch(/Mastodon/)
  expect((await settled(b!)).status).toBe('published')
  await new Promise((r) => setTimeout(r, 4_000))
  expect(apis.creates('mastodon') - before).toBe(1)
  const token = await cms.login('manager@bizoholic.dev', DEMO_PASSWORD)
  const checked = await cms.rest.post(`/social/variants/${m}/check`, { tenant }, token)
  expect(checked.status, JSON.stringify(checked.body)).toBe(200)
  expect(checked.body.found).toBe(true)
  expect((await variant(m!)).status).toBe('published')
  expect(apis.creates('mastodon') - before).toBe(1)
})
