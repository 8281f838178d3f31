import { describe, expect, it } from 'vitest'
import { readPortalEnv } from './env'

const messageOf = (source: Record<string, string>) => {
  try {
    readPortalEnv(source)
  } catch (error) {
    return (error as Error).message
  }
  return ''
}

describe('portal settings in production', () => {
  it('starts with the production settings given', () => {
    const env = readPortalEnv({
      NODE_ENV: 'production',
      CMS_URL: 'https://cms.example.com',
      PORTAL_URL: 'https://app.example.com',
    })
    expect(env.PORTAL_URL).toBe('https://app.example.com')
  })

  it('names every missing variable in one message', () => {
    const message = messageOf({ NODE_ENV: 'production' })
    expect(message).toMatch(/^portal: bad environment:/)
    expect(message).toMatch(/CMS_URL: is required in production/)
    expect(message).toMatch(/PORTAL_URL: is required in production/)
  })

  it('names a bad value without echoing it, a secret least of all', () => {
    const message = messageOf({
      NODE_ENV: 'production',
      CMS_URL: 'not a url',
      PORTAL_URL: 'https://app.example.com',
      METABASE_SECRET_KEY: 'too-short-s3cret',
    })
    expect(message).toMatch(/CMS_URL/)
    expect(message).toMatch(/METABASE_SECRET_KEY/)
    expect(message).not.toContain('too-short-s3cret')
    expect(message).not.toContain('not a url')
  })

  it('keeps the local defaults in development and lets `next build` run without the settings', () => {
    expect(readPortalEnv({}).CMS_URL).toBe('http://localhost:3001')
    expect(() => readPortalEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).not.toThrow()
  })
})
