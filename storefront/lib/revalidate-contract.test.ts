/**
 * The revalidate call as the CMS and Medusa send it (@bizosaas/contracts/storefront-revalidate) reaches
 * this app's route: same path, a body its schema accepts, the bearer secret it checks.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import {
  MAX_REVALIDATE_TAGS,
  REVALIDATE_PATH,
  REVALIDATE_TAG,
  revalidateRequest,
} from '@bizosaas/contracts/storefront-revalidate'
import { describe, expect, it } from 'vitest'

describe('the storefront revalidate contract', () => {
  it('names the path of the route file that answers it', () => {
    expect(existsSync(path.join(import.meta.dirname, '..', 'app', REVALIDATE_PATH, 'route.ts'))).toBe(true)
  })

  it('builds the request the route accepts: POST, bearer secret, JSON tags, one slash before the path', () => {
    const { url, init } = revalidateRequest('http://shop.localhost:3000//', 's3cret', ['products', 'pages:coreldove'])
    expect(url).toBe('http://shop.localhost:3000/api/revalidate')
    expect(init.method).toBe('POST')
    expect(init.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer s3cret' })
    expect(JSON.parse(init.body)).toEqual({ tags: ['products', 'pages:coreldove'] })
  })

  it('describes the tags the route takes', () => {
    for (const tag of ['tenants', 'pages:coreldove', 'regions:reg_01', 'media:a-b'])
      expect(REVALIDATE_TAG.test(tag)).toBe(true)
    for (const tag of ['Pages', ':x', '', 'a b', 'x'.repeat(121)]) expect(REVALIDATE_TAG.test(tag)).toBe(false)
    expect(MAX_REVALIDATE_TAGS).toBe(100)
  })
})
