/**
 * The world both isolation suites attack: three tenants (A = Bizoholic and B = CoreLDove from the
 * seed, C made here), one document of every tenant-owned collection in each, and one actor per kind
 * of caller — every role, anonymous, users with roles in several tenants and API-key users — each
 * with the credentials it signs in with (a JWT, or `Authorization: users API-Key <key>`).
 */
import { randomUUID } from 'node:crypto'
import type { CollectionSlug, Payload } from 'payload'
import type { CmsConfigOptions } from '../config.ts'
import { DEMO_PASSWORD } from '../seed/data.ts'
import { seed } from '../seed/index.ts'
import { type RestResponse, startTestCms, type TestCms } from '../test/harness.ts'
import { lexicalParagraphs } from '../test/lexical.ts'
import type { TenantRole } from './roles.ts'

export type Id = number
export const TENANT_KEYS = ['A', 'B', 'C'] as const
export type TenantKey = (typeof TENANT_KEYS)[number]
/** What an actor is in one tenant: a role, platform admin, or nothing. */
export type Grant = TenantRole | 'super' | undefined

export interface Actor {
  /** The row name in every table. */
  name: string
  email?: string
  super?: boolean
  /** Signs in with an API key instead of a password. */
  apiKey?: boolean
  memberships: Partial<Record<TenantKey, TenantRole>>
}

export const ACTORS: readonly Actor[] = [
  { name: 'super-admin', email: 'admin@bizosaas.dev', super: true, memberships: {} },
  { name: 'tenant-admin of A', email: 'owner@bizoholic.dev', memberships: { A: 'tenant-admin' } },
  { name: 'manager of A', email: 'manager@bizoholic.dev', memberships: { A: 'manager' } },
  { name: 'client of A', email: 'client@bizoholic.dev', memberships: { A: 'client' } },
  { name: 'anonymous', memberships: {} },
  { name: 'client of A + manager of B', email: 'editor@agency.dev', memberships: { A: 'client', B: 'manager' } },
  {
    name: 'tenant-admin of A + client of B',
    email: 'owner@agency.dev',
    memberships: { A: 'tenant-admin', B: 'client' },
  },
  {
    name: 'API key: client of every tenant',
    email: 'reader@service.dev',
    apiKey: true,
    memberships: { A: 'client', B: 'client', C: 'client' },
  },
  { name: 'API key: tenant-admin of C', email: 'bot@thirdco.dev', apiKey: true, memberships: { C: 'tenant-admin' } },
]

export const grantOf = (actor: Actor, tenant: TenantKey): Grant => (actor.super ? 'super' : actor.memberships[tenant])

/** Who may do something in a tenant, by their grant there. */
export const rule = {
  nobody: (_: Grant) => false,
  member: (g: Grant) => g !== undefined,
  editor: (g: Grant) => g === 'super' || g === 'tenant-admin' || g === 'manager',
  admin: (g: Grant) => g === 'super' || g === 'tenant-admin',
  superOnly: (g: Grant) => g === 'super',
} as const
export type Rule = (g: Grant) => boolean

export type Doc = Record<string, unknown> & { id: Id }

/** A valid 1×1 PNG. */
export const PNG_PIXEL = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
)

export interface World {
  cms: TestCms
  payload: Payload
  tenants: Record<TenantKey, Id>
  /** The key of a tenant id, or `other` for tenants made during the tests. */
  keyOf: (tenant: unknown) => TenantKey | 'other'
  /** The user document of each actor (none for anonymous). */
  userOf: (actor: Actor) => Doc | undefined
  rest: (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    actor: Actor,
    body?: unknown,
    /** More request headers, e.g. the admin's `payload-tenant` cookie. */
    headers?: Record<string, string>,
  ) => Promise<RestResponse>
  graphql: (
    query: string,
    actor: Actor,
    variables?: Record<string, unknown>,
  ) => Promise<{ status: number; data?: Record<string, unknown> | null; errors?: { message: string }[] }>
  /** Document data valid for `slug` in `tenant`, marked with `tag`. */
  dataFor: (slug: string, tenant: TenantKey, tag: string) => Record<string, unknown>
  /** Creates a document through the Local API (no access control). */
  make: (slug: string, tenant: TenantKey, tag?: string) => Promise<Doc>
  /** The document (or only `fields` of it) as the database has it, drafts included; null when missing. */
  stored: (slug: string, id: Id, fields?: string[]) => Promise<Doc | null>
  close: () => Promise<void>
}

/** Draft social posts made per tenant for the variants the suites create (one variant per post and account). */
const SOCIAL_POST_POOL = 80

let tags = 0
/** A unique, slug-safe marker. */
export const newTag = (prefix = 'iso') => `${prefix}-${++tags}-${randomUUID().slice(0, 6)}`

export const idOf = (value: unknown): Id | undefined =>
  value && typeof value === 'object' ? ((value as { id: Id }).id ?? undefined) : (value as Id | undefined)

/** Starts a CMS on its own database (with `options`, e.g. test connectors), seeds it and builds the world on top. */
export async function startIsolationWorld(label: string, options: CmsConfigOptions = {}): Promise<World> {
  const cms = await startTestCms(label, options)
  const { payload } = cms
  await seed(payload)
  const seeded = await payload.find({ collection: 'tenants', depth: 0, limit: 10 })
  const third = await payload.create({ collection: 'tenants', data: { name: 'Thirdco', slug: 'thirdco' } })
  const tenants: Record<TenantKey, Id> = {
    A: seeded.docs.find((t) => t.slug === 'bizoholic')!.id,
    B: seeded.docs.find((t) => t.slug === 'coreldove')!.id,
    C: third.id,
  }
  const keyOf = (tenant: unknown): TenantKey | 'other' =>
    TENANT_KEYS.find((k) => String(tenants[k]) === String(idOf(tenant))) ?? 'other'

  // Documents other documents point at: a product (reviews) and a run (steps, approvals) per tenant.
  const products = {} as Record<TenantKey, Id>
  const runs = {} as Record<TenantKey, { id: Id; runId: string }>
  const webhookEndpoints = {} as Record<TenantKey, Id>
  // Social: a connection and an account per tenant, and a pool of draft posts (one variant per
  // (post, account), so each variant made for a tenant takes the next post of the pool).
  const socialConnections = {} as Record<TenantKey, Id>
  const socialAccounts = {} as Record<TenantKey, Id>
  const socialPosts = { A: [], B: [], C: [] } as Record<TenantKey, Id[]>
  const nextSocialPost = { A: 0, B: 0, C: 0 } as Record<TenantKey, number>
  let seq = 0

  const dataFor = (slug: string, key: TenantKey, tag: string): Record<string, unknown> => {
    const tenant = tenants[key]
    switch (slug) {
      case 'pages':
        return { tenant, title: tag, slug: tag, _status: 'published', layout: [{ blockType: 'hero', heading: tag }] }
      case 'posts':
        return { tenant, title: tag, slug: tag, _status: 'published', content: lexicalParagraphs(tag) }
      case 'categories':
        return { tenant, title: tag, slug: tag }
      case 'media':
        return { tenant, alt: tag }
      case 'product-content':
        return { tenant, title: tag, medusaProductId: `prod_${tag}`, handle: tag }
      case 'product-reviews':
        return { tenant, product: products[key], kind: 'review', rating: 4, authorName: tag, body: 'Lovely.' }
      case 'agent-runs':
        return { tenant, runId: tag, agent: 'summarize', status: 'succeeded', model: tag }
      case 'agent-steps':
        return {
          tenant,
          agentRun: runs[key].id,
          runId: runs[key].runId,
          agent: 'summarize',
          seq: ++seq,
          kind: 'step',
          name: tag,
        }
      case 'approvals':
        return { tenant, agentRun: runs[key].id, runId: tag, agent: 'summarize', status: 'pending', feedback: tag }
      case 'agent-settings':
        return { tenant, agent: tag, enabled: true, monthlyBudgetUsd: 5 }
      case 'webhook-endpoints':
        return { tenant, url: `https://hooks.example.com/${tag}`, description: tag, events: ['run.finished'] }
      // Written by the connectors runtime (sealed blob left out: the API never reads it anyway).
      case 'connections':
        return { tenant, connector: 'isolation-probe', name: tag, status: 'connected' }
      case 'connector-apps':
        return { tenant, connector: 'isolation-probe', clientId: tag }
      case 'webhook-deliveries':
        return {
          tenant,
          endpoint: webhookEndpoints[key],
          eventType: tag,
          eventId: `evt_${tag}`,
          payload: { id: `evt_${tag}`, type: 'order.placed', data: {} },
          status: 'succeeded',
          attempts: 1,
        }
      case 'social-accounts':
        return {
          tenant,
          platform: 'x',
          connection: socialConnections[key],
          targetId: tag,
          targetType: 'profile',
          name: tag,
        }
      case 'social-posts':
        return { tenant, title: tag }
      case 'social-variants': {
        const pool = socialPosts[key]
        if (nextSocialPost[key] >= pool.length)
          throw new Error(`isolation fixture: no draft social post left in ${key}`)
        return { tenant, post: pool[nextSocialPost[key]++], account: socialAccounts[key], text: tag }
      }
      case 'audit-log':
        return { tenant, action: tag, collectionSlug: 'posts', documentId: '1' }
      case 'tenants':
        return { name: tag, slug: tag }
      default:
        throw new Error(`isolation fixture: no document data for "${slug}"; add it to dataFor()`)
    }
  }

  const make = async (slug: string, key: TenantKey, tag = newTag()): Promise<Doc> =>
    (await payload.create({
      collection: slug as CollectionSlug,
      data: dataFor(slug, key, tag) as never,
      ...(slug === 'media'
        ? { file: { data: Buffer.from(PNG_PIXEL), mimetype: 'image/png', name: `${tag}.png`, size: PNG_PIXEL.length } }
        : {}),
      depth: 0,
    })) as unknown as Doc

  for (const key of TENANT_KEYS) {
    products[key] = (await make('product-content', key)).id
    const run = await make('agent-runs', key)
    runs[key] = { id: run.id, runId: run.runId as string }
    webhookEndpoints[key] = (await make('webhook-endpoints', key)).id
    socialConnections[key] = (await make('connections', key)).id
    socialAccounts[key] = (await make('social-accounts', key)).id
    for (let i = 0; i < SOCIAL_POST_POOL; i++) socialPosts[key].push((await make('social-posts', key)).id)
  }
  // Tenant C has no seed content: one of each (A and B have them from the seed).
  for (const slug of ['pages', 'posts', 'categories', 'media'] as const) await make(slug, 'C')

  const users = new Map<string, Doc>()
  const auth = new Map<string, string>()
  for (const actor of ACTORS) {
    if (!actor.email) continue
    let user = (await payload.find({ collection: 'users', where: { email: { equals: actor.email } }, depth: 0 }))
      .docs[0] as unknown as Doc | undefined
    const apiKey = actor.apiKey ? randomUUID() : undefined
    if (!user)
      user = (await payload.create({
        collection: 'users',
        data: {
          email: actor.email,
          name: actor.name,
          password: DEMO_PASSWORD,
          roles: ['user'],
          tenants: Object.entries(actor.memberships).map(([k, role]) => ({
            tenant: tenants[k as TenantKey],
            roles: [role],
          })),
          ...(apiKey ? { enableAPIKey: true, apiKey } : {}),
        } as never,
        depth: 0,
      })) as unknown as Doc
    users.set(actor.name, user)
    auth.set(actor.name, apiKey ? `users API-Key ${apiKey}` : `JWT ${await cms.login(actor.email, DEMO_PASSWORD)}`)
  }

  const { GRAPHQL_POST, REST_DELETE, REST_GET, REST_PATCH, REST_POST, REST_PUT } = await import(
    '@payloadcms/next/routes'
  )
  const handlers = {
    GET: REST_GET(cms.config),
    POST: REST_POST(cms.config),
    PATCH: REST_PATCH(cms.config),
    PUT: REST_PUT(cms.config),
    DELETE: REST_DELETE(cms.config),
  }
  const graphqlHandler = GRAPHQL_POST(cms.config)
  const headersOf = (actor: Actor): Record<string, string> => {
    const value = auth.get(actor.name)
    return value ? { authorization: value } : {}
  }

  return {
    cms,
    payload,
    tenants,
    keyOf,
    userOf: (actor) => users.get(actor.name),
    async rest(method, pathAndQuery, actor, body, extra) {
      const url = new URL(`http://localhost/api${pathAndQuery}`)
      const headers = { ...extra, ...headersOf(actor) }
      let init: BodyInit | undefined
      if (body instanceof FormData) init = body
      else if (body !== undefined) {
        headers['content-type'] = 'application/json'
        init = JSON.stringify(body)
      }
      const slug = url.pathname
        .replace(/^\/api\//, '')
        .split('/')
        .filter(Boolean)
      const res = await handlers[method](new Request(url, { method, headers, body: init }), {
        params: Promise.resolve({ slug }),
      })
      const text = await res.text()
      let parsed: RestResponse['body']
      try {
        parsed = text ? JSON.parse(text) : {}
      } catch {
        parsed = { raw: text }
      }
      return { status: res.status, body: parsed }
    },
    async graphql(query, actor, variables) {
      const res = await graphqlHandler(
        new Request('http://localhost/api/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headersOf(actor) },
          body: JSON.stringify({ query, variables }),
        }),
      )
      return { status: res.status, ...((await res.json()) as object) }
    },
    dataFor,
    make,
    stored: async (slug, id, fields) =>
      (await payload.findByID({
        collection: slug as CollectionSlug,
        id,
        depth: 0,
        draft: true,
        disableErrors: true,
        ...(fields ? { select: Object.fromEntries(fields.map((f) => [f, true])) } : {}),
      })) as unknown as Doc | null,
    close: () => cms.close(),
  }
}
