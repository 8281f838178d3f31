import { describe, expect, it } from 'vitest'
import { ConfigError, readCmsEnv } from './env.ts'

describe('CMS configuration', () => {
  it('starts on the embedded defaults with nothing set', () => {
    const env = readCmsEnv({})
    expect(env.DATABASE_URL).toBe('postgres://postgres:postgres@127.0.0.1:5433/bizosaas_cms')
    expect(env.CMS_URL).toBe('http://localhost:3001')
    expect(env.PAYLOAD_SECRET.length).toBeGreaterThanOrEqual(32)
  })

  it('requires PAYLOAD_SECRET in production and says how to make one', () => {
    expect(() => readCmsEnv({ NODE_ENV: 'production' })).toThrow(ConfigError)
    expect(() => readCmsEnv({ NODE_ENV: 'production' })).toThrow(
      /PAYLOAD_SECRET is required in production.*openssl rand/,
    )
  })

  it('lets `next build` run without the secret, which it does not use', () => {
    expect(() => readCmsEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).not.toThrow()
  })

  it('names a malformed DATABASE_URL and a bad port, without echoing secrets', () => {
    let message = ''
    try {
      readCmsEnv({ DATABASE_URL: 'mysql://u:p@h/db', CMS_PORT: '99999', PAYLOAD_SECRET: 'short-secret' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/DATABASE_URL must be a PostgreSQL URL/)
    expect(message).toMatch(/CMS_PORT/)
    expect(message).toMatch(/PAYLOAD_SECRET must be at least 32 characters/)
    expect(message).not.toContain('short-secret')
  })
})
