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

  it('has rate limits on by default, with per-IP limits off until a proxy is trusted', () => {
    const env = readCmsEnv({})
    expect(env.RATE_LIMITS).toBe('on')
    expect(env.TRUSTED_PROXY_COUNT).toBe(0)
    expect(env.REDIS_URL).toBeUndefined()
    expect(env.RATE_LIMIT_SIGN_IN_EMAIL).toEqual({ points: 5, durationSeconds: 900 })
    expect(env.RATE_LIMIT_SIGN_IN_IP).toEqual({ points: 50, durationSeconds: 3600 })
    expect(env.RATE_LIMIT_FORGOT_PASSWORD_EMAIL).toEqual({ points: 3, durationSeconds: 3600 })
    expect(env.RATE_LIMIT_FORGOT_PASSWORD_IP).toEqual({ points: 20, durationSeconds: 3600 })
    expect(env.RATE_LIMIT_AGENT_RUNS).toEqual({ points: 30, durationSeconds: 60 })
    expect(env.RATE_LIMIT_APPROVALS).toEqual({ points: 120, durationSeconds: 60 })
    expect(readCmsEnv({ RATE_LIMITS: 'off', RATE_LIMIT_AGENT_RUNS: '10/30s' })).toMatchObject({
      RATE_LIMITS: 'off',
      RATE_LIMIT_AGENT_RUNS: { points: 10, durationSeconds: 30 },
    })
  })

  it('names a malformed limit, switch or proxy count, and never echoes a Redis URL', () => {
    let message = ''
    try {
      readCmsEnv({
        RATE_LIMITS: 'maybe',
        TRUSTED_PROXY_COUNT: 'two',
        RATE_LIMIT_SIGN_IN_EMAIL: '5 a minute',
        REDIS_URL: 'http://user:hunter2@redis:6379',
      })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/RATE_LIMITS must be on or off/)
    expect(message).toMatch(/TRUSTED_PROXY_COUNT must be a whole number/)
    expect(message).toMatch(/RATE_LIMIT_SIGN_IN_EMAIL must be <points>\/<window>.*like 5\/15m/)
    expect(message).toMatch(/REDIS_URL must be a Redis URL/)
    expect(message).not.toContain('hunter2')
  })
})

describe('the platform mailer settings', () => {
  it('are optional, and take an smtp(s) URL and a sender address', () => {
    const unset = readCmsEnv({})
    expect([unset.SMTP_URL, unset.MAIL_FROM]).toEqual([undefined, undefined])
    expect(
      readCmsEnv({ SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465', MAIL_FROM: 'BizOSaaS <no-reply@example.com>' }),
    ).toMatchObject({
      SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
      MAIL_FROM: 'BizOSaaS <no-reply@example.com>',
    })
    expect(readCmsEnv({ MAIL_FROM: 'no-reply@example.com' }).MAIL_FROM).toBe('no-reply@example.com')
  })

  it('names a URL that is not SMTP without echoing it, and a From that is not an address', () => {
    let message = ''
    try {
      readCmsEnv({ SMTP_URL: 'https://mailer:hunter2@smtp.example.com', MAIL_FROM: 'BizOSaaS' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/SMTP_URL must be an SMTP URL like smtp:\/\/user:password@smtp\.example\.com:587/)
    expect(message).toMatch(/MAIL_FROM must be an address like no-reply@example\.com .*\(got "BizOSaaS"\)/)
    expect(message).not.toContain('hunter2')
  })
})

describe('CMS configuration in production', () => {
  const messageOf = (source: Record<string, string>) => {
    try {
      readCmsEnv(source)
    } catch (error) {
      return (error as Error).message
    }
    return ''
  }

  it('names every missing variable in one message', () => {
    const message = messageOf({ NODE_ENV: 'production' })
    expect(message).toMatch(/^Invalid CMS configuration:/)
    expect(message).toMatch(/- DATABASE_URL is required in production/)
    expect(message).toMatch(/- PAYLOAD_SECRET is required in production/)
    expect(message).toMatch(/- VAULT_KEYS is required in production \(or VAULT_KEY\)/)
  })

  it('names bad values without echoing a secret or a database URL', () => {
    const message = messageOf({
      NODE_ENV: 'production',
      DATABASE_URL: 'mysql://root:hunter2-password@db/cms',
      PAYLOAD_SECRET: 'short-s3cret',
      MIGRATE_ON_START: 'yes',
    })
    expect(message).toMatch(/DATABASE_URL must be a PostgreSQL URL/)
    expect(message).toMatch(/PAYLOAD_SECRET must be at least 32 characters/)
    expect(message).toMatch(/MIGRATE_ON_START must be true or false \(got "yes"\)/)
    expect(message).not.toContain('hunter2-password')
    expect(message).not.toContain('short-s3cret')
  })

  it('migrates at boot only with MIGRATE_ON_START=true', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db/cms',
      PAYLOAD_SECRET: 'x'.repeat(32),
      VAULT_KEY: 'k'.repeat(64),
    }
    expect(readCmsEnv(production).MIGRATE_ON_START).toBe('false')
    expect(readCmsEnv({ ...production, MIGRATE_ON_START: 'true' }).MIGRATE_ON_START).toBe('true')
  })
})
