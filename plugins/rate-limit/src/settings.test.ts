import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { limitSetting, parseLimitSetting, rateLimitEnvShape } from './settings.ts'

describe('limit settings', () => {
  it('read <points>/<window> in seconds, minutes, hours and days', () => {
    expect(parseLimitSetting('5/15m')).toEqual({ points: 5, durationSeconds: 900 })
    expect(parseLimitSetting(' 100 / 1h ')).toEqual({ points: 100, durationSeconds: 3600 })
    expect(parseLimitSetting('3/30s')).toEqual({ points: 3, durationSeconds: 30 })
    expect(parseLimitSetting('1/1d')).toEqual({ points: 1, durationSeconds: 86_400 })
  })

  it('refuse what is not a limit, with a message naming the form', () => {
    for (const bad of ['5', '5/15', '0/1m', '5/0m', '-1/1m', 'five/1m', '5/31d', '5/1w'])
      expect(parseLimitSetting(bad), bad).toBeUndefined()
    const schema = z.object({ LIMIT: limitSetting('5/15m') })
    expect(schema.parse({}).LIMIT).toEqual({ points: 5, durationSeconds: 900 })
    const refused = schema.safeParse({ LIMIT: '5 per minute' })
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]?.message).toContain('like 5/15m or 100/1h')
  })

  it('share the switch, the proxy count and Redis across apps', () => {
    const schema = z.object(rateLimitEnvShape)
    expect(schema.parse({})).toEqual({ RATE_LIMITS: 'on', TRUSTED_PROXY_COUNT: 0 })
    expect(schema.parse({ RATE_LIMITS: 'off', TRUSTED_PROXY_COUNT: '1', REDIS_URL: 'redis://r:6379' })).toEqual({
      RATE_LIMITS: 'off',
      TRUSTED_PROXY_COUNT: 1,
      REDIS_URL: 'redis://r:6379',
    })
    for (const bad of [{ RATE_LIMITS: 'yes' }, { TRUSTED_PROXY_COUNT: '-1' }, { REDIS_URL: 'http://r' }])
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
  })
})
