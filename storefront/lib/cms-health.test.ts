import { afterEach, describe, expect, it } from 'vitest'
import { cmsFailing, isCmsFault, LOG_EVERY_MS, reportCmsFailure, reportCmsSuccess, resetCmsHealth } from './cms-health'
import { unavailablePage } from './outage'

afterEach(resetCmsHealth)

describe('CMS health', () => {
  it('logs an outage once a minute with the number of failures, and its end once', () => {
    const lines: string[] = []
    const log = (line: string) => lines.push(line)
    const t0 = 1_000_000
    for (let i = 0; i < 100; i++) reportCmsFailure('the content service answered 403', t0 + i * 100, log)
    expect(cmsFailing()).toBe(true)
    expect(lines).toHaveLength(1)
    reportCmsFailure('the content service answered 403', t0 + LOG_EVERY_MS, log)
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[1]!)).toMatchObject({
      level: 'error',
      failures: 100,
      reason: 'the content service answered 403',
    })
    reportCmsSuccess(t0 + LOG_EVERY_MS + 5_000, log)
    reportCmsSuccess(t0 + LOG_EVERY_MS + 6_000, log)
    expect(cmsFailing()).toBe(false)
    expect(lines).toHaveLength(3)
    expect(JSON.parse(lines[2]!)).toMatchObject({ level: 'info', down_seconds: 65 })
  })

  it('blames the CMS for refused keys and server errors, not for missing documents', () => {
    expect([401, 403, 500, 502, 503].map(isCmsFault)).toEqual([true, true, true, true, true])
    expect([400, 404, 422].map(isCmsFault)).toEqual([false, false, false])
  })

  it('answers an outage with the shop’s branded 503 and Retry-After, escaping the name', async () => {
    const res = unavailablePage({ name: 'Lamps <&> Co', primaryColor: '#b45309' })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('30')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    const html = await res.text()
    expect(html).toContain('Lamps &#60;&#38;&#62; Co')
    expect(html).toContain('We’ll be right back')
    expect(html).toContain('#b45309')
    expect(await unavailablePage({ name: 'X', primaryColor: 'red;}</style><script>' }).text()).not.toContain('<script>')
  })
})
