import { jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { dashboardEmbedUrl, EMBED_TTL_SECONDS, signDashboardToken } from './metabase.ts'

const secretKey = 'a'.repeat(32) + 'b'.repeat(32)

describe('Metabase embedding', () => {
  it('signs a token that verifies with the secret and locks exactly the tenant, expiring in 10 minutes', async () => {
    const now = Math.floor(Date.now() / 1000)
    const url = await dashboardEmbedUrl({
      siteUrl: 'http://metabase.local:3000/',
      secretKey,
      dashboard: 7,
      tenant: 42,
      now,
    })
    const match = url.match(/^http:\/\/metabase\.local:3000\/embed\/dashboard\/([^#]+)#bordered=false&titled=true$/)
    expect(match).not.toBeNull()
    const { payload, protectedHeader } = await jwtVerify(match![1]!, new TextEncoder().encode(secretKey), {
      algorithms: ['HS256'],
    })
    expect(protectedHeader.alg).toBe('HS256')
    expect(payload.resource).toEqual({ dashboard: 7 })
    expect(payload.params).toEqual({ tenant: '42' })
    expect(payload.exp).toBe(now + EMBED_TTL_SECONDS)
    expect(EMBED_TTL_SECONDS).toBe(600)
    expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'params', 'resource'])
  })

  it('does not verify with another secret, nor once expired', async () => {
    const token = await signDashboardToken({ siteUrl: 'http://m', secretKey, dashboard: 1, tenant: 'x', now: 1_000 })
    await expect(jwtVerify(token, new TextEncoder().encode('c'.repeat(64)))).rejects.toThrow(/signature/)
    await expect(jwtVerify(token, new TextEncoder().encode(secretKey))).rejects.toThrow(/exp/)
  })
})
