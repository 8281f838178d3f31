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
