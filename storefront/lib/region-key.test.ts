import { describe, expect, it } from 'vitest'
import { DEFAULT_REGION_KEY, regionKeyFor } from './region-key'

describe('regionKeyFor', () => {
  const ids = new Set(['reg_01EUROPE', 'reg_01AMERICA'])

  it("passes a region id of the tenant's shop", () => {
    expect(regionKeyFor(ids, 'reg_01AMERICA')).toBe('reg_01AMERICA')
  })

  it('gives the default key for no cookie, an unknown or forged id, or a shop whose regions are unknown', () => {
    expect(regionKeyFor(ids, undefined)).toBe(DEFAULT_REGION_KEY)
    expect(regionKeyFor(ids, 'reg_01OTHERSHOP')).toBe(DEFAULT_REGION_KEY)
    expect(regionKeyFor(ids, '../../admin')).toBe(DEFAULT_REGION_KEY)
    expect(regionKeyFor(undefined, 'reg_01EUROPE')).toBe(DEFAULT_REGION_KEY)
  })
})
