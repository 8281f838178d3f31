/**
 * simplifyAccessResult drops only conjuncts another conjunct implies. The access integration tests
 * (tenant-isolation, users-across-tenants, roles …) check the same rules end to end through Payload.
 */
import { describe, expect, it } from 'vitest'
import { implies, simplifyAccessResult } from './simplify-where.ts'

const self = { id: { equals: 7 } }
const members = (ids: (number | string)[]) => ({ 'tenants.tenant': { in: ids } })
const tenantIn = (ids: (number | string)[]) => ({ tenant: { in: ids } })

describe('simplifyAccessResult', () => {
  it('keeps booleans and single constraints as they are', () => {
    expect(simplifyAccessResult(true)).toBe(true)
    expect(simplifyAccessResult(false)).toBe(false)
    expect(simplifyAccessResult(tenantIn([1]))).toEqual(tenantIn([1]))
  })

  it('a manager reading posts: the plugin’s equal tenant constraint goes', () => {
    expect(simplifyAccessResult({ and: [tenantIn([1, 2]), tenantIn([1, 2])] })).toEqual(tenantIn([1, 2]))
  })

  it('a narrower tenant list implies a wider one (ids as numbers or strings)', () => {
    expect(simplifyAccessResult({ and: [tenantIn([1]), tenantIn([1, 2])] })).toEqual(tenantIn([1]))
    expect(simplifyAccessResult({ and: [tenantIn(['2']), tenantIn([1, 2])] })).toEqual(tenantIn(['2']))
  })

  it('never drops the narrower of two constraints, nor one that is not implied', () => {
    expect(simplifyAccessResult({ and: [tenantIn([1, 2]), tenantIn([1])] })).toEqual(tenantIn([1]))
    expect(simplifyAccessResult({ and: [tenantIn([1, 3]), tenantIn([1, 2])] })).toEqual({
      and: [tenantIn([1, 3]), tenantIn([1, 2])],
    })
    expect(simplifyAccessResult({ and: [{ slug: { like: 'a' } }, tenantIn([1])] })).toEqual({
      and: [{ slug: { like: 'a' } }, tenantIn([1])],
    })
  })

  it('a user reading users: own record AND (own record OR members) is own record', () => {
    expect(simplifyAccessResult({ and: [self, { or: [self, members([1, 2])] }] })).toEqual(self)
  })

  it('a tenant-admin: (self OR members of administered) implies (self OR members of all)', () => {
    const ours = { or: [self, members(['1'])] }
    expect(simplifyAccessResult({ and: [ours, { or: [self, members([1, 2])] }] })).toEqual(ours)
  })

  it('an administered tenant outside the member list keeps both', () => {
    const ours = { or: [self, members([3])] }
    const plugin = { or: [self, members([1, 2])] }
    expect(simplifyAccessResult({ and: [ours, plugin] })).toEqual({ and: [ours, plugin] })
  })

  it('flattens nested ands and keeps every independent conjunct', () => {
    const status = { _status: { equals: 'published' } }
    expect(simplifyAccessResult({ and: [{ and: [tenantIn([1]), status] }, tenantIn([1])] })).toEqual({
      and: [status, tenantIn([1])],
    })
  })

  it('operators other than equals/in are compared whole only', () => {
    expect(implies({ tenant: { not_in: [1] } }, { tenant: { not_in: [1, 2] } })).toBe(false)
    expect(implies({ tenant: { in: [1], exists: true } }, tenantIn([1, 2]))).toBe(false)
    expect(implies({ or: [] }, tenantIn([1]))).toBe(false)
    expect(implies(tenantIn([1]), { and: [] })).toBe(false)
  })
})
