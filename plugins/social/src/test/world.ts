/**
 * The social plugin's integration-test world: a real CMS (Payload on its own database, real pg-boss)
 * with test connectors and platforms standing in for the real ones (no HTTP: a connection's targets come
 * from its credentials), two seeded tenants with their owner, manager and client, a user who is manager
 * of one tenant and client of the other, a connection and two accounts per tenant, and media.
 */
import { randomBytes } from 'node:crypto'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { PLATFORM_RULES, type SocialPlatformId } from '@bizosaas/contracts/social'
import { defineConnector, saveConnection } from '@bizosaas/plugin-connectors'
import pg from 'pg'
import { z } from 'zod'
import { defineSocialPlatform, type SocialTarget } from '../platforms/define.ts'
import { stopSocialBoss } from '../worker/schedule.ts'

process.env.VAULT_KEYS ??= `k1:${randomBytes(32).toString('base64')}`

interface TestClient {
  targets: SocialTarget[]
}

/** A connector whose connections may post as `<handle>` (profile) and `<handle> Org` (organisation). */
const testConnector = (id: string) =>
  defineConnector<string, { handle: string }, TestClient>({
    id,
    name: `Test ${id}`,
    description: 'A social connector for tests',
    category: 'social' as never,
    auth: {
      type: 'credentials',
      kind: 'api-key',
      schema: z.object({ handle: z.string().describe('The handle') }),
      secretFields: [],
    },
    client: (ctx) => ({
      targets: [
        { id: `${ctx.credentials.handle}-profile`, type: 'profile', name: ctx.credentials.handle },
        { id: `${ctx.credentials.handle}-org`, type: 'organization', name: `${ctx.credentials.handle} Org` },
      ],
    }),
    test: async () => ({ ok: true, message: 'ok' }),
  })

const testPlatform = (id: SocialPlatformId, connector: string) =>
  defineSocialPlatform<TestClient>({
    id,
    connector,
    rules: PLATFORM_RULES[id],
    pacing: { perAccount: { points: 10, windowSeconds: 60 }, concurrency: 2 },
    settle: 'key',
    targets: async (client) => client.targets,
    publish: async () => {
      throw new Error('tests of the social core never publish')
    },
    lookup: async () => null,
    metrics: async () => ({}),
  })

export const TEST_CONNECTORS = [testConnector('test-x'), testConnector('test-linkedin'), testConnector('test-meta')]
export const TEST_PLATFORMS = [
  testPlatform('x', 'test-x'),
  testPlatform('linkedin', 'test-linkedin'),
  testPlatform('instagram', 'test-meta'),
]

export type Id = number
export type Doc = Record<string, unknown> & { id: Id }

export interface SocialWorld {
  cms: TestCms
  sql: pg.Client
  tenants: { a: Id; b: Id }
  tokens: Record<string, string>
  /** Per tenant: the connection of each test connector. */
  connections: { a: Record<string, Id>; b: Record<string, Id> }
  /** Per tenant: an X account "Acme", a LinkedIn account "Acme", an Instagram account "Acme Shop". */
  accounts: { a: { x: Id; linkedin: Id; instagram: Id }; b: { x: Id; linkedin: Id; instagram: Id } }
  /** Per tenant: an image. */
  media: { a: Id; b: Id }
  count(slug: 'social-posts' | 'social-variants' | 'social-accounts'): Promise<number>
  close(): Promise<void>
}

/** A valid 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

export async function startSocialWorld(label: string): Promise<SocialWorld> {
  const cms = await startTestCms(label, { social: { platforms: TEST_PLATFORMS, connectors: TEST_CONNECTORS } })
  const { payload } = cms
  await seed(payload)
  const tenantId = async (slug: string) =>
    (await payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!.id as Id
  const tenants = { a: await tenantId('bizoholic'), b: await tenantId('coreldove') }
  await payload.create({
    collection: 'users',
    data: {
      email: 'mixed@example.dev',
      name: 'Mixed',
      password: DEMO_PASSWORD,
      roles: ['user'],
      tenants: [
        { tenant: tenants.a, roles: ['manager'] },
        { tenant: tenants.b, roles: ['client'] },
      ],
    } as never,
  })
  const tokens: Record<string, string> = {}
  for (const email of [
    'admin@bizosaas.dev',
    'owner@bizoholic.dev',
    'manager@bizoholic.dev',
    'client@bizoholic.dev',
    'owner@coreldove.dev',
    'manager@coreldove.dev',
    'mixed@example.dev',
  ])
    tokens[email] = await cms.login(email, DEMO_PASSWORD)

  const connections = { a: {} as Record<string, Id>, b: {} as Record<string, Id> }
  const accounts = {} as SocialWorld['accounts']
  const media = {} as SocialWorld['media']
  for (const key of ['a', 'b'] as const) {
    for (const connector of TEST_CONNECTORS)
      connections[key][connector.id] = (
        await saveConnection(payload, {
          tenant: tenants[key],
          connector: connector.id,
          name: `Acme ${connector.id}`,
          credentials: { handle: `acme-${key}` },
        })
      ).id as Id
    const account = async (platform: string, connector: string, name: string) =>
      (
        (await payload.create({
          collection: 'social-accounts',
          data: {
            tenant: tenants[key],
            platform,
            connection: connections[key][connector],
            targetId: `acme-${key}-profile`,
            targetType: 'profile',
            name,
          } as never,
        })) as unknown as Doc
      ).id
    accounts[key] = {
      x: await account('x', 'test-x', 'Acme'),
      linkedin: await account('linkedin', 'test-linkedin', 'Acme'),
      instagram: await account('instagram', 'test-meta', 'Acme Shop'),
    }
    media[key] = (
      (await payload.create({
        collection: 'media',
        data: { tenant: tenants[key], alt: `A red pixel of ${key}` } as never,
        file: { data: PNG, mimetype: 'image/png', name: `pixel-${key}.png`, size: PNG.length },
      })) as unknown as Doc
    ).id
  }
  const sql = new pg.Client({ connectionString: cms.db.url })
  await sql.connect()
  return {
    cms,
    sql,
    tenants,
    tokens,
    connections,
    accounts,
    media,
    count: async (slug) => (await payload.count({ collection: slug as never, overrideAccess: true })).totalDocs,
    async close() {
      await stopSocialBoss(payload)
      await sql.end()
      await cms.close()
    },
  }
}

/** The publish jobs queued for `variant`: when each starts. */
export async function publishJobsOf(world: SocialWorld, variant: Id): Promise<Date[]> {
  const { rows } = await world.sql.query(
    `SELECT start_after FROM pgboss.job WHERE name = 'social.publish-variant' AND singleton_key = $1 AND state IN ('created', 'retry') ORDER BY start_after`,
    [String(variant)],
  )
  return rows.map((r) => new Date(r.start_after))
}
