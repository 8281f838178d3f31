/**
 * The portal's data functions for cancelling runs and managing a tenant's users, against a real
 * Payload (the harness the e2e uses: migrated database, seeded, REST over real HTTP) with each seeded
 * user's own JWT — so what is refused here is refused by Payload's access control and the agents
 * plugin, not by the portal alone.
 */

import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { servePayloadRest } from '../../e2e/harness.ts'
import { cancelRun, startRun } from './runs.ts'
import { addTenantUser, listTenantUsers, removeFromTenant, setTenantRole } from './users.ts'

let cms: TestCms
let rest: { url: string; close(): Promise<void> }
const tenants = { a: '', b: '' }
const tokens: Record<string, string> = {}

beforeAll(async () => {
  cms = await startTestCms('portal_tenant_admin')
  await seed(cms.payload)
  const found = await cms.payload.find({ collection: 'tenants', depth: 0 })
  tenants.a = String(found.docs.find((t) => t.slug === 'bizoholic')!.id)
  tenants.b = String(found.docs.find((t) => t.slug === 'coreldove')!.id)
  for (const who of ['owner', 'manager', 'client'])
    for (const domain of ['bizoholic', 'coreldove'])
      tokens[`${who}@${domain}`] = await cms.login(`${who}@${domain}.dev`, DEMO_PASSWORD)
  rest = await servePayloadRest(cms.config)
  process.env.CMS_URL = rest.url
})

afterAll(async () => {
  await rest?.close()
  await cms?.close()
})

const idOf = async (email: string) =>
  String((await cms.payload.find({ collection: 'users', where: { email: { equals: email } } })).docs[0]!.id)

describe('cancelRun', () => {
  it('cancels a queued run of the tenant for a manager; refuses clients, other tenants and finished runs', async () => {
    // No worker runs in this test: the run stays queued.
    const started = await startRun(tokens['manager@bizoholic']!, tenants.a, 'seo-meta', {
      target: { collection: 'posts', id: 1 },
    })
    expect(started.ok).toBe(true)
    const id = String(started.ok && started.id)

    expect(await cancelRun(tokens['client@bizoholic']!, tenants.a, id)).toEqual({
      ok: false,
      error: 'Your role in this tenant cannot cancel agent runs.',
    })
    // Another tenant's admin: the run is not theirs, whichever tenant they name.
    for (const tenant of [tenants.a, tenants.b])
      expect(await cancelRun(tokens['owner@coreldove']!, tenant, id)).toEqual({
        ok: false,
        error: `No agent run ${id} in tenant ${tenant}`,
      })
    const row = await cms.payload.findByID({ collection: 'agent-runs', id, depth: 0 })
    expect(row.status).toBe('queued')

    expect(await cancelRun(tokens['manager@bizoholic']!, tenants.a, id)).toEqual({ ok: true, status: 'cancelled' })
    expect((await cms.payload.findByID({ collection: 'agent-runs', id, depth: 0 })).status).toBe('cancelled')
    expect(await cancelRun(tokens['owner@bizoholic']!, tenants.a, id)).toEqual({
      ok: false,
      error: 'This run already ended (cancelled); there is nothing to cancel.',
    })
  })
})

describe("a tenant's users", () => {
  it("lists the tenant's users with their roles there, and only them", async () => {
    const users = await listTenantUsers(tokens['owner@bizoholic']!, tenants.a)
    expect(users.map((u) => [u.email, u.roles])).toEqual([
      ['client@bizoholic.dev', ['client']],
      ['manager@bizoholic.dev', ['manager']],
      ['owner@bizoholic.dev', ['tenant-admin']],
    ])
    // Managers and clients do not administer users: Payload lets them read only themselves.
    expect((await listTenantUsers(tokens['manager@bizoholic']!, tenants.a)).map((u) => u.email)).toEqual([
      'manager@bizoholic.dev',
    ])
    // Another tenant's admin sees none of them.
    expect(await listTenantUsers(tokens['owner@coreldove']!, tenants.a)).toEqual([])
  })

  it('adds a user with a role, changes the role, and removes them from the tenant', async () => {
    const owner = tokens['owner@bizoholic']!
    expect(await addTenantUser(owner, tenants.a, { email: 'new.editor@bizoholic.dev', role: 'manager' })).toEqual({
      ok: true,
      message: 'Added new.editor@bizoholic.dev as manager; they get an email to set their password.',
    })
    const id = await idOf('new.editor@bizoholic.dev')
    expect((await listTenantUsers(owner, tenants.a)).find((u) => u.id === id)?.roles).toEqual(['manager'])
    expect(await addTenantUser(owner, tenants.a, { email: 'new.editor@bizoholic.dev', role: 'client' })).toEqual({
      ok: false,
      error: 'new.editor@bizoholic.dev is already a user of this tenant; change their role below.',
    })
    // An account of another tenant joins this one; its CoreLDove membership stays as it was.
    const other = await addTenantUser(owner, tenants.a, { email: 'client@coreldove.dev', role: 'client' })
    expect(other).toEqual({ ok: true, message: 'Added client@coreldove.dev (an existing account) as client.' })
    const coreldoveClient = await idOf('client@coreldove.dev')
    const shared = await cms.payload.findByID({ collection: 'users', id: coreldoveClient, depth: 0 })
    expect(shared.tenants?.map((t) => [t.tenant, t.roles])).toEqual([
      [Number(tenants.b), ['client']],
      [Number(tenants.a), ['client']],
    ])
    expect(await removeFromTenant(owner, tenants.a, coreldoveClient)).toEqual({
      ok: true,
      message: 'client@coreldove.dev no longer has access to this tenant.',
    })
    const back = await cms.payload.findByID({ collection: 'users', id: coreldoveClient, depth: 0 })
    expect(back.tenants?.map((t) => [t.tenant, t.roles])).toEqual([[Number(tenants.b), ['client']]])

    expect(await setTenantRole(owner, tenants.a, id, 'tenant-admin')).toEqual({
      ok: true,
      message: 'new.editor@bizoholic.dev is now tenant-admin.',
    })
    expect((await listTenantUsers(owner, tenants.a)).find((u) => u.id === id)?.roles).toEqual(['tenant-admin'])

    expect(await removeFromTenant(owner, tenants.a, id)).toEqual({
      ok: true,
      message: 'new.editor@bizoholic.dev no longer has access to this tenant.',
    })
    expect((await listTenantUsers(owner, tenants.a)).some((u) => u.id === id)).toBe(false)
    // The account stays; it just has no tenant.
    const user = await cms.payload.findByID({ collection: 'users', id, depth: 0 })
    expect(user.tenants ?? []).toEqual([])
  })

  it('refuses managers, clients and other tenants’ admins (Payload enforces it with their JWT)', async () => {
    const client = await idOf('client@bizoholic.dev')
    const manager = await idOf('manager@bizoholic.dev')
    // A manager cannot change other users, nor raise their own role (the CMS refuses the change).
    expect(await setTenantRole(tokens['manager@bizoholic']!, tenants.a, client, 'tenant-admin')).toEqual({
      ok: false,
      error: `You do not administer tenant ${tenants.a}; only its tenant-admins manage its members.`,
    })
    const own = await setTenantRole(tokens['manager@bizoholic']!, tenants.a, manager, 'tenant-admin')
    expect(own.ok).toBe(false)
    const added = await addTenantUser(tokens['client@bizoholic']!, tenants.a, {
      email: 'sneaky@bizoholic.dev',
      role: 'tenant-admin',
    })
    expect(added.ok).toBe(false)
    expect(
      (await cms.payload.find({ collection: 'users', where: { email: { equals: 'sneaky@bizoholic.dev' } } })).totalDocs,
    ).toBe(0)
    // Another tenant's admin, naming either tenant.
    expect(await removeFromTenant(tokens['owner@coreldove']!, tenants.a, client)).toEqual({
      ok: false,
      error: `You do not administer tenant ${tenants.a}; only its tenant-admins manage its members.`,
    })
    expect(await removeFromTenant(tokens['owner@coreldove']!, tenants.b, client)).toEqual({
      ok: false,
      error: 'No such user in this tenant.',
    })
    const after = await cms.payload.findByID({ collection: 'users', id: manager, depth: 0 })
    expect(after.tenants?.map((t) => t.roles)).toEqual([['manager']])
    const clientAfter = await cms.payload.findByID({ collection: 'users', id: client, depth: 0 })
    expect(clientAfter.tenants?.map((t) => t.roles)).toEqual([['client']])
  })
})
