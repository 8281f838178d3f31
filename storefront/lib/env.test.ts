import { describe, expect, it } from 'vitest'
import { readStorefrontEnv } from './env'

const PRODUCTION = {
  NODE_ENV: 'production',
  CMS_URL: 'https://cms.example.com',
  CMS_API_KEY: 'reader-api-key-0123456789',
  MEDUSA_URL: 'https://commerce.example.com',
  REVALIDATE_SECRET: 'revalidate-secret-0123456789abcdef',
}

const messageOf = (source: Record<string, string>) => {
  try {
    readStorefrontEnv(source)
  } catch (error) {
    return (error as Error).message
  }
  return ''
}

describe('storefront settings in production', () => {
  it('starts with every production setting given', () => {
    expect(readStorefrontEnv(PRODUCTION)).toMatchObject({ CMS_URL: 'https://cms.example.com' })
  })

  it('names every missing variable in one message', () => {
    const message = messageOf({ NODE_ENV: 'production' })
    expect(message).toMatch(/^Invalid storefront configuration:/)
    for (const key of ['CMS_URL', 'CMS_API_KEY', 'MEDUSA_URL', 'REVALIDATE_SECRET'])
      expect(message).toMatch(new RegExp(`- ${key} is required in production`))
  })

  it('names a bad value without echoing it, a secret least of all', () => {
    const message = messageOf({ ...PRODUCTION, REVALIDATE_SECRET: 'short-s3cret', CMS_URL: 'ftp://cms' })
    expect(message).toMatch(/REVALIDATE_SECRET must be at least 16 characters/)
    expect(message).toMatch(/CMS_URL must be an http\(s\) URL/)
    expect(message).not.toContain('short-s3cret')
    expect(message).not.toContain('ftp://cms')
  })

  it('keeps the local defaults in development and lets `next build` run without the settings', () => {
    expect(readStorefrontEnv({}).CMS_URL).toBe('http://localhost:3001')
    expect(() => readStorefrontEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).not.toThrow()
  })
})
