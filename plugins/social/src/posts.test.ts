/** The service's pure pieces: how a time is said, the campaign from a title, a variant's UTM link. */
import { describe, expect, it } from 'vitest'
import { campaignOf, checkLink, describeTime, SocialError, variantLink } from './posts.ts'

describe('describeTime', () => {
  const now = new Date('2026-12-08T10:00:00Z')
  it('says today, yesterday, tomorrow or the date, in UTC', () => {
    expect(describeTime(new Date('2026-12-08T07:00:00Z'), now)).toBe('07:00 UTC today')
    expect(describeTime(new Date('2026-12-07T07:00:00Z'), now)).toBe('07:00 UTC yesterday')
    expect(describeTime(new Date('2026-12-09T18:30:00Z'), now)).toBe('18:30 UTC tomorrow')
    expect(describeTime(new Date('2026-11-30T09:15:00Z'), now)).toBe('09:15 UTC on 2026-11-30')
  })
})

describe('campaignOf', () => {
  it('keeps a given campaign, else makes one from the title', () => {
    expect(campaignOf('spring-2027', 'Whatever')).toBe('spring-2027')
    expect(campaignOf(null, 'Spring sale: 20% off!')).toBe('spring-sale-20-off')
    expect(campaignOf('  ', '¡¡¡')).toBe('social')
  })
})

describe('variantLink', () => {
  it('adds the platform, medium, campaign and account, keeping the query and fragment', () => {
    const link = new URL(variantLink('https://shop.example/p/1?color=red#reviews', 'mastodon', 'launch', 7)!)
    expect(Object.fromEntries(link.searchParams)).toEqual({
      color: 'red',
      utm_source: 'mastodon',
      utm_medium: 'social',
      utm_campaign: 'launch',
      utm_content: 'account-7',
    })
    expect(link.hash).toBe('#reviews')
    expect(variantLink(null, 'x', 'launch', 7)).toBeNull()
  })

  it('a link that is not a full web address is refused with a 422 that says so', () => {
    const error = (() => {
      try {
        checkLink('shop.example/p/1')
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(SocialError)
    expect(error).toMatchObject({ status: 422, message: expect.stringMatching(/full web address/) })
  })
})
