// What the social agents' output check refuses, counted the platforms' way, and how a series is spread.
import { describe, expect, it } from 'vitest'
import { socialComposeOutput } from './compose.ts'
import { reportNumbers, unsupportedNumbers } from './metrics.ts'
import { seriesTimes } from './repurpose.ts'
import { draftIssues } from './variants.ts'

const link =
  'https://bizoholic.localhost/blog/five-seo-fixes?utm_source=x&utm_medium=social&utm_campaign=five-seo-fixes'

describe('the output check', () => {
  it('counts a link as 23 on X, but its full length on Bluesky', () => {
    const text = `${'a'.repeat(250)} ${link}`
    expect(draftIssues({ platform: 'x', text })).toEqual([])
    expect(draftIssues({ platform: 'bluesky', text }).map((i) => i.rule)).toEqual(['max-chars'])
  })

  it('refuses an over-long variant with a zod issue naming the platform and the rule', () => {
    const parsed = socialComposeOutput.safeParse({
      title: 'Five SEO fixes',
      variants: [
        { account: 1, platform: 'x', text: 'x'.repeat(281), hashtags: [] },
        { account: 2, platform: 'linkedin', text: 'Fine on LinkedIn', thread: ['a second part'] },
      ],
    })
    expect(parsed.success).toBe(false)
    const messages = parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(messages).toContain('variants.0.text: X allows 280 characters per post; this text has 281. (rule max-chars)')
    expect(
      messages.some(
        (m) => m.startsWith('variants.1.text: LinkedIn does not post threads') && m.endsWith('(rule thread)'),
      ),
    ).toBe(true)
  })

  it('refuses a hashtag listed but missing from the text, and emoji weigh 2 on X', () => {
    const parsed = socialComposeOutput.safeParse({
      title: 'Tags',
      variants: [{ account: 1, platform: 'x', text: 'Short #SEO', hashtags: ['SEO', '#Growth'] }],
    })
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      '#Growth is listed but not in the text; put it in the text or leave it out of hashtags',
    ])
    expect(draftIssues({ platform: 'x', text: '🚀'.repeat(141) })[0]?.message).toContain('has 282')
  })
})

describe('a series', () => {
  it('spreads N posts over D days at one time of day, from tomorrow by default', () => {
    const now = new Date('2026-12-08T15:00:00Z')
    expect(seriesTimes({ posts: 3, days: 6, hour: 9 }, now)).toEqual([
      '2026-12-09T09:00:00.000Z',
      '2026-12-11T09:00:00.000Z',
      '2026-12-13T09:00:00.000Z',
    ])
    expect(seriesTimes({ posts: 2, hour: 9, startAt: '2026-12-20T18:30:00Z' }, now)).toEqual([
      '2026-12-20T18:30:00.000Z',
      '2026-12-21T18:30:00.000Z',
    ])
  })
})

describe('insights numbers', () => {
  it('finds numbers the metrics do not hold', () => {
    const allowed = reportNumbers([{ totals: { impressions: 1234, likes: 56 }, rate: 4.5 }, 7])
    expect(unsupportedNumbers('1,234 impressions and 56 likes in 7 days, 4.5% rate', allowed)).toEqual([])
    expect(unsupportedNumbers('about 1,300 impressions, up 20%', allowed)).toEqual(['1,300', '20'])
  })
})
