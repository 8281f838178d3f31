/** From documents to field names and membership events: names only, values compared and dropped. */
import { describe, expect, it } from 'vitest'
import { changedFieldNames, membershipEvents, notePassword } from './changes.ts'

describe('changedFieldNames', () => {
  const before = {
    id: 1,
    title: 'Old',
    tenant: { id: 3, name: 'Bizoholic', createdAt: '2026-01-01' },
    tags: [{ id: 'row-a', label: 'x' }],
    updatedAt: '2026-01-01',
  }

  it('names what the write changed, comparing relationships by id and rows without their row ids', () => {
    const data = { title: 'New', tenant: 3, tags: [{ label: 'x' }], updatedAt: '2026-02-02' }
    expect(changedFieldNames(before, { ...before, ...data }, data)).toEqual(['title'])
  })

  it('a create names the fields it set; bookkeeping and password internals never appear', () => {
    const doc = { id: 9, email: 'a@b.dev', name: null, hash: 'h', salt: 's', loginAttempts: 0, createdAt: 'x' }
    expect(changedFieldNames(undefined, doc, doc)).toEqual(['email'])
  })

  it('a password write is the name `password`, seen before Payload strips it from data', () => {
    const data: Record<string, unknown> = { password: 'secret-value-1' }
    notePassword({ data } as never)
    delete data.password // what Payload does before afterChange
    expect(changedFieldNames({ id: 1, email: 'a@b.dev' }, { id: 1, email: 'a@b.dev' }, data)).toEqual(['password'])
  })
})

describe('membershipEvents', () => {
  const row = (tenant: number, roles: string[]) => ({ tenant, roles })

  it('one event per tenant whose membership changed; unchanged tenants none', () => {
    const before = { email: 'm@b.dev', tenants: [row(1, ['client']), row(2, ['manager']), row(3, ['client'])] }
    const after = { email: 'm@b.dev', tenants: [row(1, ['manager']), row(3, ['client']), row(4, ['client'])] }
    const events = membershipEvents('users', before, after, 7)
    expect(events.map((e) => [e.action, e.tenant])).toEqual([
      ['membership.roles-changed', 1],
      ['membership.removed', 2],
      ['membership.added', 4],
    ])
    expect(events[0]!.details).toEqual({ member: 'm@b.dev', roles: ['manager'], previousRoles: ['client'] })
  })

  it('platform roles: an event without a tenant', () => {
    const events = membershipEvents('users', { roles: ['user'] }, { roles: ['super-admin', 'user'] }, 7)
    expect(events).toMatchObject([{ action: 'user.roles-changed', tenant: null, changedFields: ['roles'] }])
  })
})
