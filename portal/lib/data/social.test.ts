/** The calendar's ranges (UTC, weeks from Monday) and the per-platform totals the metrics page charts. */
import { describe, expect, it } from 'vitest'
import { calendarRange, metricsByPlatform, metricsOf, parseDay, type SocialPost } from './social.ts'

describe('calendarRange', () => {
  it('a week view runs Monday to Sunday around the date', () => {
    const { from, to, days } = calendarRange('week', '2026-12-10')
    expect(from.toISOString()).toBe('2026-12-07T00:00:00.000Z')
    expect(to.toISOString()).toBe('2026-12-14T00:00:00.000Z')
    expect(days).toEqual([
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
      '2026-12-11',
      '2026-12-12',
      '2026-12-13',
    ])
  })

  it('a Sunday belongs to the week that started the Monday before', () => {
    expect(calendarRange('week', '2026-12-13').days[0]).toBe('2026-12-07')
  })

  it('a month view covers whole weeks from the Monday before the 1st to the Sunday after the last day', () => {
    const { days } = calendarRange('month', '2026-12-20')
    expect(days[0]).toBe('2026-11-30')
    expect(days.at(-1)).toBe('2027-01-03')
    expect(days.length % 7).toBe(0)
  })

  it('a month that ends on a Sunday stops there', () => {
    const { days } = calendarRange('month', '2026-05-02')
    expect(days.at(-1)).toBe('2026-05-31')
  })

  it('rejects dates that are not YYYY-MM-DD', () => {
    expect(parseDay('2026-13-45')).toBeNull()
    expect(parseDay('yesterday')).toBeNull()
    expect(parseDay('2026-12-08')?.toISOString()).toBe('2026-12-08T00:00:00.000Z')
  })
})

describe('metricsByPlatform', () => {
  it('adds up each platform over every post’s variants', () => {
    const variant = (platform: 'x' | 'bluesky', likes: number) =>
      ({ platform, metrics: { ...metricsOf({}), likes, impressions: likes * 10 } }) as SocialPost['variants'][number]
    const posts = [
      { variants: [variant('x', 3), variant('bluesky', 1)] },
      { variants: [variant('x', 4)] },
    ] as SocialPost[]
    expect(metricsByPlatform(posts)).toEqual([
      { platform: 'x', metrics: { impressions: 70, likes: 7, reposts: 0, replies: 0, clicks: 0 } },
      { platform: 'bluesky', metrics: { impressions: 10, likes: 1, reposts: 0, replies: 0, clicks: 0 } },
    ])
  })
})
