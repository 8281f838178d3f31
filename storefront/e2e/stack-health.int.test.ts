/**
 * The storefront's health endpoints against real parts: the production build, a real Payload served over
 * HTTP and a real Medusa. Readiness follows the CMS and Medusa (cached a few seconds); liveness never
 * does; neither needs a tenant's host.
 */
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { startTestCommerce, type TestCommerce } from '@bizosaas/commerce/test'
import { READINESS_CACHE_MS, type ReadinessBody } from '@bizosaas/contracts/health'
import { freePort } from '@bizosaas/scripts/ports'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildStorefront, getWithHost, type RunningStorefront, servePayloadRest, startStorefront } from './harness.ts'

let cms: TestCms
let commerce: TestCommerce
let rest: Awaited<ReturnType<typeof servePayloadRest>> | undefined
let storefront: RunningStorefront

beforeAll(async () => {
  const [, commerceStarted, cmsStarted] = await Promise.all([
    buildStorefront(),
    startTestCommerce('storefront_health'),
    startTestCms('storefront_health', { medusa: { enabled: false } }),
  ])
  commerce = commerceStarted
  cms = cmsStarted
  rest = await servePayloadRest(cms.config)
  storefront = await startStorefront({ CMS_URL: rest.url, MEDUSA_URL: commerce.url }, await freePort())
})

afterAll(async () => {
  await storefront?.stop()
  await rest?.close()
  await cms?.close()
  await commerce?.close()
})

// No shop has this host: health answers without tenant resolution.
const get = async (path: string) => {
  const res = await getWithHost(storefront.port, 'probe.internal', path)
  return { ...res, json: JSON.parse(res.body) as ReadinessBody }
}

it('is ready while the CMS and Medusa answer, on /api/health and /api/health/ready, for any host', async () => {
  for (const path of ['/api/health', '/api/health/ready']) {
    const res = await get(path)
    expect(res.status, res.body).toBe(200)
    expect(res.headers['cache-control']).toContain('no-store')
    expect(res.json).toMatchObject({
      status: 'ok',
      service: 'storefront',
      version: expect.any(String),
      uptimeSeconds: expect.any(Number),
      checks: { cms: { ok: true }, medusa: { ok: true } },
    })
  }
})

it('reports 503 naming the CMS when it stops answering, stays live, and is ready again when it is back', async () => {
  const cmsPort = new URL(rest!.url).port
  await rest!.close()
  rest = undefined
  // The last result is reused for READINESS_CACHE_MS; then the refused connection shows.
  const down = await until(
    'readiness to see the CMS down',
    async () => {
      const res = await get('/api/health')
      return res.status === 503 ? res : undefined
    },
    READINESS_CACHE_MS + 10_000,
    250,
  )
  expect(down.json).toMatchObject({ status: 'unavailable', checks: { cms: { ok: false }, medusa: { ok: true } } })
  expect(down.json.checks.cms!.error).toMatch(/ECONNREFUSED|fetch failed/)
  // Never a secret or a connection string.
  expect(down.body).not.toContain(cms.db.url)
  expect(down.body).not.toMatch(/postgres:\/\//)

  const live = await get('/api/health/live')
  expect(live.status).toBe(200)
  expect(live.json).toMatchObject({ status: 'ok', service: 'storefront' })

  rest = await servePayloadRest(cms.config, Number(cmsPort))
  await until(
    'readiness to see the CMS back',
    async () => (await get('/api/health')).status === 200,
    READINESS_CACHE_MS + 10_000,
    250,
  )
})
