import { describe, expect, it } from 'vitest'
import { can, strongestRole } from './roles.ts'

describe('portal roles', () => {
  it('lets clients read, managers review and run, tenant-admins also configure', () => {
    expect([can('client', 'read'), can('client', 'review'), can('client', 'run'), can('client', 'configure')]).toEqual([
      true,
      false,
      false,
      false,
    ])
    expect([can('manager', 'review'), can('manager', 'run'), can('manager', 'configure')]).toEqual([true, true, false])
    expect(can('tenant-admin', 'configure')).toBe(true)
    expect(strongestRole(['client', 'tenant-admin'])).toBe('tenant-admin')
    expect(strongestRole(['unknown'])).toBeUndefined()
  })
})
