import { describe, expect, it } from 'vitest'
import { ensureRequestId, requestIdOf } from './request-id.ts'

describe('request ids', () => {
  it('keeps a usable incoming id and replaces a missing or unusable one', () => {
    expect(requestIdOf(new Headers({ 'x-request-id': 'abc-123' }))).toBe('abc-123')
    expect(requestIdOf({ 'x-request-id': ['abc', 'def'] })).toBe('abc')
    expect(requestIdOf({ 'x-request-id': 'has spaces\nand a newline' })).toBeUndefined()
    expect(requestIdOf(new Headers({ 'x-request-id': 'x'.repeat(200) }))).toBeUndefined()
    const made = ensureRequestId(new Headers())
    expect(made).toMatch(/^[0-9a-f-]{36}$/)
    expect(ensureRequestId(new Headers())).not.toBe(made)
  })
})
