import { describe, expect, it } from 'vitest'
import { isPathSlug } from './path-slug'

describe('isPathSlug', () => {
  it('takes the slugs and handles editors and Medusa make', () => {
    for (const slug of ['home', 'pendant-height', 'fjord-opal-pendant', 'über-uns', 'a.b_c'])
      expect(isPathSlug(slug)).toBe(true)
  })
  it('refuses control characters, empty and very long values', () => {
    for (const slug of ['\0', 'a\nb', '', 'x'.repeat(201)]) expect(isPathSlug(slug)).toBe(false)
  })
})
