/**
 * Tenant isolation of the custom endpoints (the CMS's and every plugin's), table-driven: every actor
 * of isolation-fixture.ts calls each endpoint with ids of each of three tenants. Another tenant's id
 * answers 403/404 and writes and leaks nothing; tenant-scoped answers hold only the caller's tenants.
 * The coverage test fails when an endpoint is added without an entry in ENDPOINTS.
 */
import { mockOAuthConnector } from '@bizosaas/plugin-connectors/testing'
import { createSocialPost, stopSocialBoss } from '@bizosaas/plugin-social'
import { buildConfig, type Endpoint } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ACTORS,
  type Actor,
  type Doc,
  grantOf,
  type Id,
  newTag,
  rule,
  startIsolationWorld,
  TENANT_KEYS,
  type TenantKey,
  type World,
} from './isolation-fixture.ts'

const REFUSED = [401, 403, 404]
/** The other tenants' names and slugs must never appear in an answer to a caller outside them. */
const TENANT_NAMES: Record<TenantKey, string[]> = {
  A: ['Bizoholic', 'bizoholic'],
  B: ['CoreLDove', 'coreldove'],
  C: ['Thirdco', 'thirdco'],
}

let world: World
/** Distinct per tenant, so a leak from another tenant shows in the figures. */
const BUDGET: Record<TenantKey, number> = { A: 11, B: 22, C: 33 }
const PENDING: Record<TenantKey, number> = { A: 1, B: 2, C: 3 }
const failedProducts = {} as Record<TenantKey, Doc>

/** The OAuth connector the flow's endpoints are checked with (its provider is never reached here). */
const OAUTH_APP = { clientId: 'isolation-app', clientSecret: 'isolation-secret-0123456789' }

beforeAll(async () => {
  world = await startIsolationWorld('endpoint_isolation', {
    connectors: {
      connectors: [mockOAuthConnector],
      apps: { [mockOAuthConnector.id]: OAUTH_APP },
      portalUrl: 'http://portal.test',
    },
  })
  for (const key of TENANT_KEYS) {
    await world.payload.create({
      collection: 'agent-settings',
      data: { tenant: world.tenants[key], agent: 'summarize', monthlyBudgetUsd: BUDGET[key] } as never,
    })
    for (let i = 0; i < PENDING[key]; i++) await pendingApproval(key)
    // What the commerce bridge reports as failed, one product and one tenant link per tenant.
    failedProducts[key] = await world.make('product-content', key)
    await world.payload.update({
      collection: 'product-content',
      id: failedProducts[key].id,
      data: { sync: { state: 'failed', error: `sync failed in ${key}` } } as never,
    })
    await world.payload.update({
      collection: 'tenants',
      id: world.tenants[key],
      data: { commerce: { linkError: `link failed in ${key}` } } as never,
    })
  }
})

afterAll(async () => {
  if (world) await stopSocialBoss(world.payload)
  await world?.close()
})

/** A run waiting for approval and its pending approval, in `key`. */
async function pendingApproval(key: TenantKey): Promise<{ run: Doc; approval: Doc }> {
  const tag = newTag('approval')
  const tenant = world.tenants[key]
  const run = (await world.payload.create({
    collection: 'agent-runs',
    data: { tenant, runId: tag, agent: 'summarize', status: 'awaiting-approval' } as never,
  })) as unknown as Doc
  const approval = (await world.payload.create({
    collection: 'approvals',
    data: { tenant, agentRun: run.id, runId: tag, agent: 'summarize', status: 'pending', proposed: {} } as never,
  })) as unknown as Doc
  return { run, approval }
}

/** A run of `key` in `status` (queued runs can be cancelled, finished ones end their event stream at once). */
async function runIn(key: TenantKey, status: string): Promise<Doc> {
  const tag = newTag('run')
  const run = (await world.payload.create({
    collection: 'agent-runs',
    data: { tenant: world.tenants[key], runId: tag, agent: 'summarize', status, output: { secret: tag } } as never,
  })) as unknown as Doc
  await world.payload.create({
    collection: 'agent-steps',
    data: {
      tenant: world.tenants[key],
      agentRun: run.id,
      runId: tag,
      agent: 'summarize',
      seq: 1,
      kind: 'step',
      name: `step of ${tag}`,
    } as never,
  })
  return run
}

const stored = (slug: string, id: Id, fields?: string[]) => world.stored(slug, id, fields)
/** A connection row of `key` (its connector is not installed here: the endpoints' checks come first). */
const connectionIn = async (key: TenantKey) =>
  (await world.payload.create({
    collection: 'connections',
    data: { tenant: world.tenants[key], connector: 'isolation-probe', name: newTag('connection'), status: 'connected' },
  } as never)) as unknown as Doc
const member = (actor: Actor) => TENANT_KEYS.filter((k) => rule.member(grantOf(actor, k)))
const runsOf = async () => (await world.payload.count({ collection: 'agent-runs' })).totalDocs
const otherTenantsMentioned = (actor: Actor, body: unknown) => {
  if (actor.super) return []
  const text = JSON.stringify(body)
  return TENANT_KEYS.filter((k) => !member(actor).includes(k)).flatMap((k) =>
    TENANT_NAMES[k].filter((name) => text.includes(name)),
  )
}

/** Started OAuth flows of tenant `key` (the hidden states collection). */
const oauthStates = async (key: TenantKey) =>
  (
    await world.payload.count({
      collection: 'connector-oauth-states' as never,
      where: { tenant: { equals: world.tenants[key] } },
      overrideAccess: true,
    })
  ).totalDocs
const connectionsOf = async (key: TenantKey) =>
  (
    await world.payload.count({
      collection: 'connections' as never,
      where: { tenant: { equals: world.tenants[key] } },
      overrideAccess: true,
    })
  ).totalDocs
const appOf = async (key: TenantKey) =>
  (
    await world.payload.find({
      collection: 'connector-apps' as never,
      where: { tenant: { equals: world.tenants[key] } },
      overrideAccess: true,
      depth: 0,
    })
  ).docs[0] as { clientId?: string } | undefined

const READINESS_KEYS = ['checks', 'database', 'service', 'status', 'uptimeSeconds', 'version']

/** A health endpoint answers anyone with 200 and exactly `keys`, and names no tenant. */
async function healthSaysNothingOfTenants(path: string, actor: Actor, keys: string[]) {
  const res = await world.rest('GET', path, actor)
  expect(res.status).toBe(200)
  expect(Object.keys(res.body).sort()).toEqual(keys)
  for (const names of Object.values(TENANT_NAMES))
    for (const name of names) expect(JSON.stringify(res.body)).not.toContain(name)
}

/** Who may call an endpoint, and what happens with another tenant's ids. */
interface EndpointCase {
  note: string
  check: (actor: Actor) => Promise<void>
}

/**
 * One entry per endpoint that is not one of Payload's own, keyed `METHOD /path` as mounted under /api
 * (collection endpoints prefixed with the collection's slug). An endpoint without an entry fails the
 * coverage test below.
 */
const ENDPOINTS: Record<string, EndpointCase> = {
  // Social (@bizosaas/plugin-social): the tenant is named by the request and checked against memberships.
  'GET /social/accounts/targets': {
    note: 'tenant-admins of the tenant; members 403; another tenant (or its connection) 404',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const connection = await connectionIn(key)
        const res = await world.rest(
          'GET',
          `/social/accounts/targets?tenant=${world.tenants[key]}&connection=${connection.id}`,
          actor,
        )
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else {
          // The probe's connector has no social platform: said only after the tenant and role checks.
          expect(res.status, JSON.stringify(res.body)).toBe(422)
          const elsewhere = TENANT_KEYS.find((k) => k !== key && rule.admin(grantOf(actor, k)))
          if (elsewhere) {
            const across = await world.rest(
              'GET',
              `/social/accounts/targets?tenant=${world.tenants[elsewhere]}&connection=${connection.id}`,
              actor,
            )
            expect(across.status).toBe(404)
          }
        }
        if (!rule.admin(g)) expect(JSON.stringify(res.body)).not.toContain(connection.name as string)
      }
    },
  },

  'POST /social/accounts': {
    note: 'tenant-admins of the body’s tenant; members 403; another tenant 404; nothing added when refused',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const connection = await connectionIn(key)
        const before = await socialCount('social-accounts', key)
        const res = await world.rest('POST', '/social/accounts', actor, {
          tenant: world.tenants[key],
          connection: connection.id,
          targetId: 'probe-target',
        })
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else expect(res.status, JSON.stringify(res.body)).toBe(422)
        expect(await socialCount('social-accounts', key)).toBe(before)
      }
    },
  },

  'POST /social/posts': {
    note: 'editors of the body’s tenant; clients 403; another tenant 404; another tenant’s account refused; nothing written when refused',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const before = await socialCount('social-posts', key)
        const body = (account: Id) => ({
          tenant: world.tenants[key],
          title: newTag('social'),
          variants: [{ account, text: 'Hello from the isolation suite' }],
        })
        const res = await world.rest('POST', '/social/posts', actor, body(await socialAccountOf(key)))
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.editor(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(201)
          expect(world.keyOf((res.body.post as Doc).tenant)).toBe(key)
          expect(await socialCount('social-posts', key)).toBe(before + 1)
          // Another tenant's account, named in this tenant: refused, nothing written.
          const foreign = TENANT_KEYS.find((k) => k !== key)!
          const across = await world.rest('POST', '/social/posts', actor, body(await socialAccountOf(foreign)))
          expect(across.status).toBe(422)
          expect(await socialCount('social-posts', key)).toBe(before + 1)
          continue
        }
        expect(await socialCount('social-posts', key)).toBe(before)
      }
    },
  },

  'POST /social/posts/:id/submit': socialTransition('submit', 'draft', 'awaiting-approval'),
  'POST /social/posts/:id/approve': socialTransition('approve', 'awaiting-approval', 'scheduled'),
  'POST /social/posts/:id/reject': socialTransition('reject', 'awaiting-approval', 'draft', { note: 'Not yet' }),
  'POST /social/posts/:id/reschedule': socialTransition('reschedule', 'scheduled', 'scheduled', {
    scheduledAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
  }),
  'POST /social/posts/:id/unschedule': socialTransition('unschedule', 'scheduled', 'draft'),

  'GET /social/calendar': {
    note: 'members of the tenant; another tenant 404; lists only that tenant’s posts',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const post = await socialPostIn(key, 'draft')
        const from = new Date(Date.now() - 86_400_000).toISOString()
        const to = new Date(Date.now() + 7 * 86_400_000).toISOString()
        const res = await world.rest(
          'GET',
          `/social/calendar?tenant=${world.tenants[key]}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
          actor,
        )
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) {
          expect(res.status, key).toBe(404)
          expect(JSON.stringify(res.body)).not.toContain(post.title as string)
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          const posts = res.body.posts as Doc[]
          expect(posts.map((p) => p.id)).toContain(post.id)
          expect(posts.every((p) => world.keyOf(p.tenant) === key)).toBe(true)
          expect((res.body.accounts as Doc[]).length).toBeGreaterThan(0)
        }
      }
    },
  },

  'GET /social/metrics': {
    note: 'members of the tenant; another tenant 404; totals of that tenant only',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const from = new Date(Date.now() - 7 * 86_400_000).toISOString()
        const to = new Date(Date.now() + 86_400_000).toISOString()
        const res = await world.rest(
          'GET',
          `/social/metrics?tenant=${world.tenants[key]}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
          actor,
        )
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          expect(res.body.totals).toEqual({ impressions: 0, likes: 0, reposts: 0, replies: 0, clicks: 0 })
        }
      }
    },
  },

  'POST /social/variants/:id/check': socialVariantAction('check', 'unconfirmed', {}, 'unconfirmed', 502),
  'POST /social/variants/:id/confirm': socialVariantAction('confirm', 'unconfirmed', {}, 'published'),
  'POST /social/variants/:id/republish': socialVariantAction('republish', 'failed', {}, 'scheduled'),
  'POST /social/validate': {
    note: 'members of the tenant; another tenant (or its account) 404 / refused; nothing written',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const res = await world.rest('POST', '/social/validate', actor, {
          tenant: world.tenants[key],
          account: await socialAccountOf(key),
          text: 'x'.repeat(300),
        })
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          expect(res.body.ok).toBe(false)
          expect((res.body.issues as { rule: string }[]).map((i) => i.rule)).toContain('max-chars')
          // Another tenant's account named in this tenant: an issue, never its details.
          const foreign = TENANT_KEYS.find((k) => k !== key)!
          const across = await world.rest('POST', '/social/validate', actor, {
            tenant: world.tenants[key],
            account: await socialAccountOf(foreign),
            text: 'Hello',
          })
          expect((across.body.issues as { rule: string }[]).map((i) => i.rule)).toEqual(['account'])
        }
      }
    },
  },
  'GET /health': {
    note: 'readiness: anyone, signed in or not; says nothing about any tenant',
    check: (actor) => healthSaysNothingOfTenants('/health', actor, READINESS_KEYS),
  },
  'GET /health/ready': {
    note: 'readiness (alias of /health): anyone; says nothing about any tenant',
    check: (actor) => healthSaysNothingOfTenants('/health/ready', actor, READINESS_KEYS),
  },
  'GET /health/live': {
    note: 'liveness: anyone; no database, says nothing about any tenant',
    check: (actor) =>
      healthSaysNothingOfTenants('/health/live', actor, ['service', 'status', 'uptimeSeconds', 'version']),
  },

  'GET /connectors': {
    note: 'members of the tenant (?tenant=); another tenant is 404; lists only that tenant’s connections, no secret',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const mine = await connectionIn(key)
        const res = await world.rest('GET', `/connectors?tenant=${world.tenants[key]}`, actor)
        const g = grantOf(actor, key)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) {
          expect(res.status, key).toBe(404)
          expect(JSON.stringify(res.body)).not.toContain(mine.name as string)
        } else {
          expect(res.status).toBe(200)
          expect(res.body.can).toEqual({ manage: rule.admin(g) })
          const listed = res.body.connections as { id: Id; tenant: Id }[]
          expect(listed.map((c) => c.id)).toContain(mine.id)
          expect(listed.every((c) => c.tenant === world.tenants[key])).toBe(true)
          expect(JSON.stringify(res.body)).not.toContain('ciphertext')
        }
      }
    },
  },

  'POST /connectors/:connector/connect': {
    note: 'tenant-admins of the body’s tenant; members 403; another tenant 404; nothing stored when refused',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const before = await connectionsOf(key)
        // No connector of that id is installed here: an admin learns that (404) only after the tenant check.
        const res = await world.rest('POST', '/connectors/isolation-probe/connect', actor, {
          tenant: world.tenants[key],
          credentials: { apiKey: 'abcdefghijkl' },
        })
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status).toBe(404)
          expect(res.body.error).toMatch(/No connector "isolation-probe"/)
        }
        expect(await connectionsOf(key)).toBe(before)
      }
    },
  },

  'POST /connectors/connections/:id/test': {
    note: 'tenant-admins of the connection’s tenant; members 403; another tenant’s connection 404; nothing recorded when refused',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const connection = await connectionIn(key)
        const res = await world.rest('POST', `/connectors/connections/${connection.id}/test`, actor, {})
        const after = await stored('connections', connection.id, ['checkedAt'])
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          // The probe's connector is not installed: a failed test that says so.
          expect(res.body.result).toMatchObject({ ok: false })
          expect(after?.checkedAt).toBeTruthy()
          continue
        }
        expect(after?.checkedAt ?? null).toBeNull()
      }
    },
  },

  'POST /connectors/connections/:id/disconnect': {
    note: 'tenant-admins of the connection’s tenant; members 403; another tenant’s connection 404 and kept',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const connection = await connectionIn(key)
        const res = await world.rest('POST', `/connectors/connections/${connection.id}/disconnect`, actor, {})
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          expect(await stored('connections', connection.id)).toBeNull()
          continue
        }
        expect(await stored('connections', connection.id)).not.toBeNull()
      }
    },
  },

  'GET /agents': {
    note: 'members of the tenant (?tenant=); another tenant is 404; settings and rights are that tenant’s',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const res = await world.rest('GET', `/agents?tenant=${world.tenants[key]}`, actor)
        const g = grantOf(actor, key)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else {
          expect(res.status).toBe(200)
          expect(res.body.tenant).toBe(world.tenants[key])
          expect(res.body.can).toEqual({ run: rule.editor(g), review: rule.editor(g), configure: rule.admin(g) })
          const summarize = (res.body.agents as Doc[]).find((a) => a.slug === 'summarize')
          expect((summarize?.settings as { monthlyBudgetUsd?: number } | undefined)?.monthlyBudgetUsd).toBe(BUDGET[key])
        }
        if (!rule.member(g)) expect(JSON.stringify(res.body)).not.toContain(`"monthlyBudgetUsd":${BUDGET[key]}`)
        // The admin's tenant cookie picks the tenant the same way, and is refused the same way.
        const cookie = await world.rest('GET', '/agents', actor, undefined, {
          cookie: `payload-tenant=${world.tenants[key]}`,
        })
        expect([cookie.status, cookie.body.tenant ?? null]).toEqual([res.status, res.body.tenant ?? null])
      }
    },
  },

  'POST /agents/:slug/runs': {
    note: 'editors of the tenant; clients 403; another tenant (or its document) 404; nothing queued when refused',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const post = await anyPost(key)
        const before = await runsOf()
        const res = await world.rest('POST', '/agents/summarize/runs', actor, {
          tenant: world.tenants[key],
          input: { target: { collection: 'posts', id: post } },
        })
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.editor(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(202)
          const run = await stored('agent-runs', res.body.id as Id)
          expect(world.keyOf(run?.tenant)).toBe(key)
          expect(await runsOf()).toBe(before + 1)
          // A document of another tenant, named as this tenant's: not found.
          const foreign = TENANT_KEYS.find((k) => k !== key)!
          const across = await world.rest('POST', '/agents/summarize/runs', actor, {
            tenant: world.tenants[key],
            input: { target: { collection: 'posts', id: await anyPost(foreign) } },
          })
          expect(across.status).toBe(404)
          expect(await runsOf()).toBe(before + 1)
          continue
        }
        expect(await runsOf()).toBe(before)
      }
    },
  },

  'GET /agents/queues': {
    note: 'signed in; platform admins see the pg-boss queues, others their own tenants’ runs only',
    async check(actor) {
      const res = await world.rest('GET', '/agents/queues', actor)
      if (!actor.email) return expect(res.status).toBe(401)
      expect(res.status).toBe(200)
      if (actor.super) return expect(res.body.scope).toBe('platform')
      expect(res.body.scope).toBe('tenant')
      expect((res.body.tenants as Id[]).map((t) => world.keyOf(t)).sort()).toEqual(member(actor))
      const waiting = await world.payload.count({
        collection: 'agent-runs',
        where: {
          and: [
            { tenant: { in: member(actor).map((k) => world.tenants[k]) } },
            { agent: { equals: 'summarize' } },
            { status: { equals: 'awaiting-approval' } },
          ],
        },
      })
      const row = (res.body.agents as { agent: string; awaitingApproval: number }[]).find(
        (a) => a.agent === 'summarize',
      )
      expect(row?.awaitingApproval).toBe(waiting.totalDocs)
    },
  },

  'GET /agents/stats': {
    note: 'members of the tenant (clients included); another tenant is 404',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const res = await world.rest('GET', `/agents/stats?tenant=${world.tenants[key]}`, actor)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(grantOf(actor, key))) expect(res.status, key).toBe(404)
        else {
          expect(res.status).toBe(200)
          expect(res.body.tenant).toBe(world.tenants[key])
          const pending = await world.payload.count({
            collection: 'approvals',
            where: { and: [{ tenant: { equals: world.tenants[key] } }, { status: { equals: 'pending' } }] },
          })
          expect(res.body.pendingApprovals).toBe(pending.totalDocs)
        }
      }
    },
  },

  'POST /approvals/:id/approve': {
    note: 'editors of the approval’s tenant; clients 403; another tenant’s approval (or a body tenant that is not its) 404',
    check: (actor) => decide(actor, 'approve'),
  },

  'POST /approvals/:id/reject': {
    note: 'as approve',
    check: (actor) => decide(actor, 'reject'),
  },

  'POST /agent-runs/:id/cancel': {
    note: 'editors of the run’s tenant; clients 403; another tenant’s run (or a body tenant that is not its) 404',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const run = await runIn(key, 'queued')
        if (rule.editor(g)) {
          const elsewhere = TENANT_KEYS.find((k) => k !== key)!
          const named = await world.rest('POST', `/agent-runs/${run.id}/cancel`, actor, {
            tenant: world.tenants[elsewhere],
          })
          expect(named.status).toBe(404)
          expect((await stored('agent-runs', run.id))?.status).toBe('queued')
        }
        const res = await world.rest('POST', `/agent-runs/${run.id}/cancel`, actor, { reason: 'isolation' })
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.editor(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          expect((await stored('agent-runs', run.id))?.status).toBe('cancelled')
          continue
        }
        expect((await stored('agent-runs', run.id))?.status).toBe('queued')
      }
    },
  },

  'GET /agent-runs/:id/events': {
    note: 'members of the run’s tenant; another tenant’s run 404 before any byte of it is sent',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const run = await runIn(key, 'succeeded')
        const res = await world.rest('GET', `/agent-runs/${run.id}/events`, actor)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(grantOf(actor, key))) {
          expect(res.status, key).toBe(404)
          expect(JSON.stringify(res.body)).not.toContain(String(run.runId))
        } else {
          expect(res.status).toBe(200)
          const text = String(res.body.raw)
          expect(text).toContain(`step of ${run.runId}`)
          expect(text).toMatch(/event: end\n/)
          // Only this run's steps.
          expect(text.match(/step of /g)).toHaveLength(1)
        }
      }
    },
  },

  'POST /connectors/webhooks/:id/test': {
    note: 'tenant-admins of the endpoint’s tenant queue a test delivery; managers read it but get 403; clients and other tenants 404',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const endpoint = await world.make('webhook-endpoints', key)
        const res = await world.rest('POST', `/connectors/webhooks/${endpoint.id}/test`, actor, {})
        const deliveries = await world.payload.count({
          collection: 'webhook-deliveries' as never,
          where: { endpoint: { equals: endpoint.id } },
        })
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.editor(grantOf(actor, key))) expect(res.status, key).toBe(404)
        else if (!rule.admin(grantOf(actor, key))) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(202)
          expect(deliveries.totalDocs).toBe(1)
          continue
        }
        expect(REFUSED).toContain(res.status)
        expect(deliveries.totalDocs).toBe(0)
        expect(JSON.stringify(res.body)).not.toContain(String(endpoint.url))
      }
    },
  },

  'POST /connectors/webhooks/:id/rotate-secret': {
    note: 'tenant-admins of the endpoint’s tenant get a new secret once; managers 403; clients and other tenants 404',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const endpoint = await world.make('webhook-endpoints', key)
        const before = await stored('webhook-endpoints', endpoint.id)
        const res = await world.rest('POST', `/connectors/webhooks/${endpoint.id}/rotate-secret`, actor, {})
        const after = await stored('webhook-endpoints', endpoint.id)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.editor(grantOf(actor, key))) expect(res.status, key).toBe(404)
        else if (!rule.admin(grantOf(actor, key))) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          expect(res.body.secret).toMatch(/^whsec_/)
          expect(after?.ciphertext).not.toBe(before?.ciphertext)
          continue
        }
        expect(after?.ciphertext).toBe(before?.ciphertext)
        expect(res.body).not.toHaveProperty('secret')
      }
    },
  },

  'POST /connectors/webhooks/deliveries/:id/redeliver': {
    note: 'tenant-admins of the delivery’s tenant queue it again; managers 403; clients and other tenants 404',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const delivery = await world.make('webhook-deliveries', key)
        const res = await world.rest('POST', `/connectors/webhooks/deliveries/${delivery.id}/redeliver`, actor, {})
        const after = await stored('webhook-deliveries', delivery.id)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.editor(grantOf(actor, key))) expect(res.status, key).toBe(404)
        else if (!rule.admin(grantOf(actor, key))) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(202)
          expect(after?.status).toBe('pending')
          continue
        }
        expect(after?.status).toBe('succeeded')
        expect(JSON.stringify(res.body)).not.toContain(String(delivery.eventId))
      }
    },
  },

  'GET /connectors/model-keys': {
    note: 'tenant-admins of the tenant (?tenant=) and super-admins; managers and clients 403; another tenant 404',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const res = await world.rest('GET', `/connectors/model-keys?tenant=${world.tenants[key]}`, actor)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else expect([res.status, res.body.tenant]).toEqual([200, world.tenants[key]])
        if (!rule.admin(g)) expect(res.body).not.toHaveProperty('policy')
      }
    },
  },

  'PUT /connectors/model-keys': {
    note: 'as GET; the policy changes only when the caller administers that tenant',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const policy = rule.admin(g) ? 'own-only' : 'platform-only'
        const res = await world.rest('PUT', `/connectors/model-keys?tenant=${world.tenants[key]}`, actor, { policy })
        const after = (await stored('tenants', world.tenants[key]))?.modelKeys
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else {
          expect([res.status, after]).toEqual([200, 'own-only'])
          await world.payload.update({
            collection: 'tenants',
            id: world.tenants[key],
            data: { modelKeys: 'own-then-platform' } as never,
          })
          continue
        }
        expect(after).toBe('own-then-platform')
      }
    },
  },

  'POST /connectors/:connector/authorize': {
    note: 'tenant-admins of the tenant in the body; managers/clients 403, non-members 404; a flow is stored only when allowed',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const before = await oauthStates(key)
        const res = await world.rest('POST', '/connectors/mock-oauth/authorize', actor, { tenant: world.tenants[key] })
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          expect(String(res.body.url)).toContain('code_challenge_method=S256')
          expect(await oauthStates(key)).toBe(before + 1)
          continue
        }
        expect(await oauthStates(key)).toBe(before)
        expect(otherTenantsMentioned(actor, res.body)).toEqual([])
      }
    },
  },

  'POST /connectors/oauth/complete': {
    note: 'a flow completes only for the user who started it (here a super-admin’s flow): anyone else 400, nothing stored',
    async check(actor) {
      const superAdmin = ACTORS.find((a) => a.super)!
      for (const key of TENANT_KEYS) {
        const started = await world.rest('POST', '/connectors/mock-oauth/authorize', superAdmin, {
          tenant: world.tenants[key],
        })
        const state = new URL(String(started.body.url)).searchParams.get('state')
        const before = await connectionsOf(key)
        const res = await world.rest('POST', '/connectors/oauth/complete', actor, {
          state,
          error: 'access_denied',
          redirectUri: 'http://portal.test/oauth/callback',
        })
        if (!actor.email) expect(res.status).toBe(401)
        else if (actor.super)
          expect(res.body.error).toBe('You declined access at Mock Provider; nothing was connected.')
        else expect([res.status, String(res.body.error)]).toEqual([400, expect.stringMatching(/another user/)])
        expect(await connectionsOf(key)).toBe(before)
        expect(otherTenantsMentioned(actor, res.body)).toEqual([])
      }
    },
  },

  'PUT /connectors/:connector/app': {
    note: 'tenant-admins of the tenant in the body; managers/clients 403, non-members 404; the secret never answered',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const clientId = newTag('app')
        const res = await world.rest('PUT', '/connectors/mock-oauth/app', actor, {
          tenant: world.tenants[key],
          clientId,
          clientSecret: 'tenant-app-secret-4321',
        })
        const stored = await appOf(key)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else {
          expect([200, 201]).toContain(res.status)
          expect(stored?.clientId).toBe(clientId)
          expect(JSON.stringify(res.body)).not.toContain('tenant-app-secret-4321')
          continue
        }
        expect(stored?.clientId).not.toBe(clientId)
      }
    },
  },

  'DELETE /connectors/:connector/app': {
    note: 'tenant-admins of the tenant in ?tenant=; managers/clients 403, non-members 404; the app stays when refused',
    async check(actor) {
      const superAdmin = ACTORS.find((a) => a.super)!
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        await world.rest('PUT', '/connectors/mock-oauth/app', superAdmin, {
          tenant: world.tenants[key],
          clientId: `kept-${key}`,
          clientSecret: 'tenant-app-secret-4321',
        })
        const res = await world.rest('DELETE', `/connectors/mock-oauth/app?tenant=${world.tenants[key]}`, actor)
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.admin(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          expect(await appOf(key)).toBeUndefined()
          continue
        }
        expect((await appOf(key))?.clientId).toBe(`kept-${key}`)
      }
    },
  },

  'GET /medusa/health': {
    note: 'signed in; platform admins see the queues and every failure, others only their tenants’ failures',
    async check(actor) {
      const res = await world.rest('GET', '/medusa/health', actor)
      if (!actor.email) return expect(res.status).toBe(401)
      expect(res.status).toBe(200)
      const failures = res.body.failures as { kind: string; doc?: { id: Id } }[]
      const tenantsOf = failures.map((f) =>
        f.kind === 'tenant'
          ? world.keyOf(f.doc?.id)
          : (TENANT_KEYS.find((k) => failedProducts[k].id === f.doc?.id) ?? 'other'),
      )
      const expected = actor.super ? [...TENANT_KEYS] : member(actor)
      expect(res.body.scope).toBe(actor.super ? 'platform' : 'tenant')
      if (!actor.super) expect(res.body.queues).toEqual([])
      expect([...new Set(tenantsOf)].sort()).toEqual(expected)
      expect(failures).toHaveLength(expected.length * 2)
      expect(otherTenantsMentioned(actor, res.body)).toEqual([])
    },
  },

  'POST /medusa/resync': {
    note: 'platform admins only (all tenants); everyone else 401/403 before the body is read',
    async check(actor) {
      const res = await world.rest('POST', '/medusa/resync', actor, { tenants: ['thirdco'] })
      if (!actor.email) expect(res.status).toBe(401)
      else if (!actor.super) expect(res.status).toBe(403)
      // Past the access check (no Medusa is configured here, so there is nothing to link or sync).
      else expect([res.status, res.body.error]).toEqual([200, undefined])
    },
  },

  'POST /users/memberships': {
    note: 'tenant-admins of the tenant named in the body (and super-admins); anyone else 403, no account made',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const email = `${newTag('member')}@example.com`
        const res = await world.rest('POST', '/users/memberships', actor, {
          tenant: world.tenants[key],
          email,
          roles: ['client'],
        })
        const made = await world.payload.find({ collection: 'users', where: { email: { equals: email } }, depth: 0 })
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.admin(grantOf(actor, key))) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(201)
          expect(rowsOf(made.docs[0] as unknown as Doc)).toEqual({ [key]: 'client' })
          continue
        }
        expect(made.totalDocs).toBe(0)
      }
    },
  },

  'PATCH /users/:id/memberships/:tenant': {
    note: 'tenant-admins of that tenant; anyone else 403; a user who is not a member of the named tenant 404',
    check: (actor) => changeMembership(actor, 'PATCH'),
  },

  'DELETE /users/:id/memberships/:tenant': {
    note: 'as PATCH; the account and its other memberships stay',
    check: (actor) => changeMembership(actor, 'DELETE'),
  },

  'GET /tenants/:id/export': {
    note: 'platform admins only (a whole tenant as an archive); everyone else 401/403 and nothing is streamed',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const res = await world.rest('GET', `/tenants/${world.tenants[key]}/export`, actor)
        if (actor.super) {
          // One real export is enough to show the route answers; the archive itself is tested in plugins/tenant-data.
          if (key === 'C') expect(res.status).toBe(200)
          continue
        }
        expect(actor.email ? [403] : [401]).toContain(res.status)
        expect(JSON.stringify(res.body)).not.toContain(TENANT_NAMES[key][0]!)
      }
    },
  },

  'POST /tenants/:id/deletion': {
    note: 'platform admins only; anyone else 401/403 and the tenant stays (a dry run only counts)',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const body = actor.super ? { dryRun: true } : {}
        const res = await world.rest('POST', `/tenants/${world.tenants[key]}/deletion`, actor, body)
        if (actor.super) expect(res.status, JSON.stringify(res.body)).toBe(200)
        else expect(actor.email ? [403] : [401]).toContain(res.status)
        expect(await stored('tenants', world.tenants[key])).toBeTruthy()
      }
      expect(
        await world.payload.count({ collection: 'tenant-data-jobs' as never, where: { kind: { equals: 'deletion' } } }),
      ).toMatchObject({ totalDocs: 0 })
    },
  },

  'GET /tenants/:id/deletion': {
    note: 'platform admins only (the deletion job’s progress); anyone else 401/403',
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const res = await world.rest('GET', `/tenants/${world.tenants[key]}/deletion`, actor)
        if (actor.super) expect([200, 404]).toContain(res.status)
        else expect(actor.email ? [403] : [401]).toContain(res.status)
      }
    },
  },

  'POST /tenant-import': {
    note: 'platform admins only; anyone else 401/403 before the archive is read (an empty body is a 400 for them)',
    async check(actor) {
      const before = await world.payload.count({ collection: 'tenants' })
      const res = await world.rest('POST', '/tenant-import', actor, {})
      if (actor.super) expect(res.status).toBeGreaterThanOrEqual(400)
      else expect(actor.email ? [403] : [401]).toContain(res.status)
      expect(res.status).toBeLessThan(500)
      expect((await world.payload.count({ collection: 'tenants' })).totalDocs).toBe(before.totalDocs)
    },
  },

  'GET /tenants/populate-tenant-options': {
    note: 'signed in (the admin’s tenant selector); lists exactly the caller’s tenants',
    async check(actor) {
      const res = await world.rest('GET', '/tenants/populate-tenant-options', actor)
      if (!actor.email) return expect(REFUSED).toContain(res.status)
      expect(res.status).toBe(200)
      const keys = (res.body.tenantOptions as { value: Id }[]).map((o) => world.keyOf(o.value))
      if (actor.super) expect(keys).toEqual(expect.arrayContaining([...TENANT_KEYS]))
      else expect([...keys].sort()).toEqual(member(actor))
    },
  },
}

/** The social account the fixture made in `key`. */
async function socialAccountOf(key: TenantKey): Promise<Id> {
  const found = await world.payload.find({
    collection: 'social-accounts',
    where: { tenant: { equals: world.tenants[key] } },
    depth: 0,
    limit: 1,
    sort: 'id',
  })
  return found.docs[0]!.id
}

const socialCount = async (slug: 'social-accounts' | 'social-posts', key: TenantKey) =>
  (await world.payload.count({ collection: slug, where: { tenant: { equals: world.tenants[key] } } })).totalDocs

/** A social post of `key` in `status`, made through the service as the endpoints make it, due tomorrow. */
async function socialPostIn(key: TenantKey, status: 'draft' | 'awaiting-approval' | 'scheduled'): Promise<Doc> {
  const { post } = await createSocialPost(world.payload, {
    tenant: world.tenants[key],
    title: newTag('social'),
    scheduledAt: new Date(Date.now() + 86_400_000),
    variants: [{ account: await socialAccountOf(key), text: 'Hello from the isolation suite' }],
    status,
  })
  return post as Doc
}

/** A variant of a scheduled post in `key`, set to `status` as the publisher would leave it. */
async function socialVariantIn(key: TenantKey, status: 'unconfirmed' | 'failed'): Promise<Doc> {
  const post = await socialPostIn(key, 'scheduled')
  const variant = (
    await world.payload.find({
      collection: 'social-variants' as never,
      where: { post: { equals: post.id } },
      depth: 0,
      overrideAccess: true,
    })
  ).docs[0] as unknown as Doc
  const pool = (world.payload.db as unknown as { pool: { query(t: string, v: unknown[]): Promise<unknown> } }).pool
  await pool.query(`UPDATE social_variants SET status = $2::text::enum_social_variants_status WHERE id = $1`, [
    variant.id,
    status,
  ])
  return variant
}

/**
 * What a person does with an unsettled variant (check, confirm, republish): editors of its tenant move it
 * `from` → `to` (`check` has no platform installed here: a 502 naming it, the variant unchanged); clients
 * 403; non-members 404; another tenant's variant named in a tenant the caller edits: 404 and unchanged.
 */
function socialVariantAction(
  action: string,
  from: 'unconfirmed' | 'failed',
  extra: Record<string, unknown>,
  to: string,
  editorStatus = 200,
): EndpointCase {
  return {
    note: `editors of the variant’s tenant (${from} → ${to}); clients 403; another tenant’s variant 404 and unchanged`,
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const variant = await socialVariantIn(key, from)
        const elsewhere = TENANT_KEYS.find((k) => k !== key && rule.editor(grantOf(actor, k)))
        if (elsewhere) {
          const across = await world.rest('POST', `/social/variants/${variant.id}/${action}`, actor, {
            tenant: world.tenants[elsewhere],
            ...extra,
          })
          expect(across.status, JSON.stringify(across.body)).toBe(404)
          expect((await stored('social-variants', variant.id, ['status']))?.status).toBe(from)
        }
        const res = await world.rest('POST', `/social/variants/${variant.id}/${action}`, actor, {
          tenant: world.tenants[key],
          ...extra,
        })
        const after = await stored('social-variants', variant.id, ['status'])
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.editor(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(editorStatus)
          expect(after?.status).toBe(to)
          continue
        }
        expect(after?.status).toBe(from)
      }
    },
  }
}

/**
 * A step of a social post: editors of the post's tenant move it `from` → `to`; clients 403; another
 * tenant 404 and the post unchanged; the post named in a tenant the caller edits but not its own: 404.
 */
function socialTransition(
  action: string,
  from: 'draft' | 'awaiting-approval' | 'scheduled',
  to: string,
  extra: Record<string, unknown> = {},
): EndpointCase {
  return {
    note: `editors of the post’s tenant (${from} → ${to}); clients 403; another tenant’s post 404 and unchanged`,
    async check(actor) {
      for (const key of TENANT_KEYS) {
        const g = grantOf(actor, key)
        const post = await socialPostIn(key, from)
        const elsewhere = TENANT_KEYS.find((k) => k !== key && rule.editor(grantOf(actor, k)))
        if (elsewhere) {
          const across = await world.rest('POST', `/social/posts/${post.id}/${action}`, actor, {
            tenant: world.tenants[elsewhere],
            ...extra,
          })
          expect(across.status, JSON.stringify(across.body)).toBe(404)
          expect((await stored('social-posts', post.id, ['status']))?.status).toBe(from)
        }
        const res = await world.rest('POST', `/social/posts/${post.id}/${action}`, actor, {
          tenant: world.tenants[key],
          ...extra,
        })
        const after = await stored('social-posts', post.id, ['status'])
        if (!actor.email) expect(res.status).toBe(401)
        else if (!rule.member(g)) expect(res.status, key).toBe(404)
        else if (!rule.editor(g)) expect(res.status, key).toBe(403)
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(200)
          expect(after?.status).toBe(to)
          continue
        }
        expect(after?.status).toBe(from)
        expect(JSON.stringify(res.body)).not.toContain(post.title as string)
      }
    },
  }
}

async function anyPost(key: TenantKey): Promise<Id> {
  const found = await world.payload.find({
    collection: 'posts',
    where: { tenant: { equals: world.tenants[key] } },
    depth: 0,
    limit: 1,
  })
  return found.docs[0]!.id
}

/** A user's memberships as `{ A: 'client' }`. */
const rowsOf = (user: Doc | undefined) =>
  Object.fromEntries(
    ((user?.tenants as { tenant: unknown; roles: string[] }[] | undefined) ?? []).map((row) => [
      world.keyOf(row.tenant),
      row.roles.join(','),
    ]),
  )

/**
 * Changes (PATCH: roles → manager) or removes (DELETE) the membership in each tenant of a fresh user who
 * is a client of that tenant and of tenant C; then, where it is allowed, names a tenant the user is not in.
 */
async function changeMembership(actor: Actor, method: 'PATCH' | 'DELETE') {
  for (const key of TENANT_KEYS) {
    const tenants = [...new Set([key, 'C' as const])].map((k) => ({ tenant: world.tenants[k], roles: ['client'] }))
    const user = (await world.payload.create({
      collection: 'users',
      data: { email: `${newTag('member')}@example.com`, password: 'a-long-password', tenants } as never,
      depth: 0,
    })) as unknown as Doc
    const before = rowsOf(user)
    const path = `/users/${user.id}/memberships/${world.tenants[key]}`
    const res = await world.rest(method, path, actor, method === 'PATCH' ? { roles: ['manager'] } : undefined)
    const after = rowsOf((await world.stored('users', user.id)) ?? undefined)
    if (!actor.email) expect(res.status).toBe(401)
    else if (!rule.admin(grantOf(actor, key))) expect(res.status, key).toBe(403)
    else {
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      const expected = { ...before }
      if (method === 'PATCH') expected[key] = 'manager'
      else delete expected[key]
      expect(after).toEqual(expected)
      // The same user named with a tenant it is not in (and the caller administers): not found.
      const elsewhere = TENANT_KEYS.find((k) => !(k in before) && rule.admin(grantOf(actor, k)))
      if (elsewhere) {
        const missing = await world.rest(method, `/users/${user.id}/memberships/${world.tenants[elsewhere]}`, actor, {
          roles: ['manager'],
        })
        expect(missing.status).toBe(404)
        expect(rowsOf((await world.stored('users', user.id)) ?? undefined)).toEqual(expected)
      }
      continue
    }
    expect(after).toEqual(before)
    expect(JSON.stringify(res.body)).not.toContain(String(user.email))
  }
}

/** Approve or reject a fresh pending approval of each tenant, then one naming a tenant that is not its. */
async function decide(actor: Actor, verb: 'approve' | 'reject') {
  for (const key of TENANT_KEYS) {
    const g = grantOf(actor, key)
    const { approval, run } = await pendingApproval(key)
    if (rule.editor(g)) {
      const elsewhere = TENANT_KEYS.find((k) => k !== key)!
      const named = await world.rest('POST', `/approvals/${approval.id}/${verb}`, actor, {
        tenant: world.tenants[elsewhere],
      })
      expect(named.status).toBe(404)
      expect((await stored('approvals', approval.id))?.status).toBe('pending')
    }
    const res = await world.rest('POST', `/approvals/${approval.id}/${verb}`, actor, {})
    const after = await stored('approvals', approval.id)
    if (!actor.email) expect(res.status).toBe(401)
    else if (!rule.member(g)) expect(res.status, key).toBe(404)
    else if (!rule.editor(g)) expect(res.status, key).toBe(403)
    else {
      expect([200, 202], JSON.stringify(res.body)).toContain(res.status)
      expect(after?.status).toBe(verb === 'approve' ? 'approved' : 'rejected')
      continue
    }
    expect(after?.status).toBe('pending')
    expect((await stored('agent-runs', run.id))?.status).toBe('awaiting-approval')
    expect(JSON.stringify(res.body)).not.toContain(String(run.runId))
  }
}

it('covers every endpoint that is not one of Payload’s own', async () => {
  // Payload's own endpoints, as its sanitizer adds them to a bare config (auth, upload, versions and
  // duplication on), by method and path (some, like /og, are made afresh for every config).
  const bare = await buildConfig({
    secret: 'probe',
    db: world.cms.config.db,
    collections: [
      { slug: 'probe-auth', auth: { useAPIKey: true }, upload: true, versions: { drafts: true }, fields: [] },
      { slug: 'probe', fields: [] },
    ],
  })
  const signature = (e: Endpoint) => `${e.method.toUpperCase()} ${e.path}`
  // `GET /og` (the admin's Open Graph image) is added by @payloadcms/next's REST handler on its first request.
  const ownRoot = new Set([...(bare.endpoints || []).map(signature), 'GET /og'])
  const ownCollection = new Set(bare.collections.flatMap((c) => (c.endpoints || []).map(signature)))
  const key = (prefix: string, e: Endpoint) => `${e.method.toUpperCase()} ${prefix}${e.path === '/' ? '' : e.path}`
  const found = [
    ...(world.cms.config.endpoints || []).filter((e) => !ownRoot.has(signature(e))).map((e) => key('', e)),
    ...world.cms.config.collections.flatMap((c) =>
      (c.endpoints || []).filter((e) => !ownCollection.has(signature(e))).map((e) => key(`/${c.slug}`, e)),
    ),
  ]
  expect([...new Set(found)].sort()).toEqual(Object.keys(ENDPOINTS).sort())
})

describe.each(Object.entries(ENDPOINTS))('%s', (_key, { check }) => {
  it.each(ACTORS.map((a) => [a.name, a] as const))('as %s', (_name, actor) => check(actor))
})
