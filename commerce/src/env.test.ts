import { describe, expect, it } from 'vitest'
import { readCommerceEnv } from './env'

describe('commerce env: CMS queue', () => {
  it('sends nothing by default, to the pgboss schema once a URL is set', () => {
    expect(readCommerceEnv({}).cmsQueueUrl).toBeUndefined()
    const env = readCommerceEnv({ CMS_QUEUE_URL: 'postgres://u:p@db:5432/bizosaas_cms' })
    expect(env).toMatchObject({ cmsQueueUrl: 'postgres://u:p@db:5432/bizosaas_cms', cmsQueueSchema: 'pgboss' })
    expect(readCommerceEnv({ CMS_QUEUE_SCHEMA: 'jobs' }).cmsQueueSchema).toBe('jobs')
  })

  it('names the variable and the fix for a bad value, without echoing the URL', () => {
    expect(() => readCommerceEnv({ CMS_QUEUE_URL: 'mysql://u:secret@db/cms' })).toThrow(
      /^Invalid commerce configuration: CMS_QUEUE_URL must be a PostgreSQL URL with a database name/,
    )
    expect(() => readCommerceEnv({ CMS_QUEUE_URL: 'mysql://u:secret@db/cms' })).not.toThrow(/secret/)
    expect(() => readCommerceEnv({ CMS_QUEUE_SCHEMA: 'Pg-Boss' })).toThrow(
      /CMS_QUEUE_SCHEMA must be a lower-case PostgreSQL schema name, like pgboss \(got "Pg-Boss"\)/,
    )
  })
})

describe('commerce env in production', () => {
  const messageOf = (source: Record<string, string>) => {
    try {
      readCommerceEnv(source)
    } catch (error) {
      return (error as Error).message
    }
    return ''
  }

  it('names every missing variable in one message', () => {
    const message = messageOf({ NODE_ENV: 'production' })
    expect(message).toMatch(/^Invalid commerce configuration:/)
    for (const key of ['JWT_SECRET', 'COOKIE_SECRET', 'COMMERCE_DATABASE_URL'])
      expect(message).toMatch(new RegExp(`${key} is required in production`))
  })

  it('names bad values without echoing a secret or a URL', () => {
    const message = messageOf({
      NODE_ENV: 'production',
      JWT_SECRET: 'short-jwt-s3cret',
      COOKIE_SECRET: 'c'.repeat(32),
      COMMERCE_DATABASE_URL: 'postgres://u:hunter2-password@db/shop',
      REDIS_URL: 'http://u:redis-password@cache',
      MEDUSA_WORKER_MODE: 'both',
    })
    expect(message).toMatch(/JWT_SECRET must be at least 32 characters/)
    expect(message).toMatch(/REDIS_URL must be a Redis URL/)
    expect(message).toMatch(/MEDUSA_WORKER_MODE must be shared, server or worker \(got "both"\)/)
    for (const secret of ['short-jwt-s3cret', 'hunter2-password', 'redis-password'])
      expect(message).not.toContain(secret)
  })

  it('splits server and worker only with Redis; a worker serves no admin', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(32),
      COOKIE_SECRET: 'c'.repeat(32),
      COMMERCE_DATABASE_URL: 'postgres://u:p@db/shop',
    }
    expect(messageOf({ ...production, MEDUSA_WORKER_MODE: 'worker' })).toMatch(
      /REDIS_URL is required with MEDUSA_WORKER_MODE=worker/,
    )
    const worker = readCommerceEnv({ ...production, MEDUSA_WORKER_MODE: 'worker', REDIS_URL: 'redis://cache:6379' })
    expect(worker).toMatchObject({ workerMode: 'worker', adminDisabled: true })
    expect(readCommerceEnv(production).workerMode).toBe('shared')
  })
})
