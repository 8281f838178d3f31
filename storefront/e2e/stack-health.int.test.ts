/**
 * Health of the whole stack against real parts, on one shared set of servers: the production builds of
 * the storefront and the portal (`next start`), a real Payload served over HTTP, a real Medusa, a worker's
 * heartbeat and alerts job (the CMS's ops), and `pnpm status` run as a process. Readiness follows the
 * services each app needs (cached a few seconds); liveness never does; neither needs a tenant or a session.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { type Ops, startOps } from '@bizosaas/cms/ops'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { startTestCommerce, type TestCommerce } from '@bizosaas/commerce/test'
import { READINESS_CACHE_MS, type ReadinessBody } from '@bizosaas/contracts/health'
import { buildPortal, type RunningPortal, startPortal } from '@bizosaas/portal/e2e'
import { freePort } from '@bizosaas/scripts/ports'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildStorefront, getWithHost, type RunningStorefront, servePayloadRest, startStorefront } from './harness.ts'

const repoRoot = path.resolve(import.meta.dirname, '../..')

let cms: TestCms
let commerce: TestCommerce
let rest: Awaited<ReturnType<typeof servePayloadRest>> | undefined
let storefront: RunningStorefront
let portal: RunningPortal | undefined
let ops: Ops

beforeAll(async () => {
  // One build at a time (each takes ~1.8 GB); both are cached by a hash of their sources.
  await buildStorefront()
  await buildPortal()
  const [commerceStarted, cmsStarted] = await Promise.all([
    startTestCommerce('stack_health'),
    startTestCms('stack_health', { medusa: { enabled: false } }),
  ])
  commerce = commerceStarted
  cms = cmsStarted
  rest = await servePayloadRest(cms.config)
  ops = await startOps(cms.payload, { kind: 'worker' })
  ;[storefront, portal] = await Promise.all([
    // Production requires a reader key and a revalidation secret; health checks use neither (no content is read).
    startStorefront(
      {
        CMS_URL: rest.url,
        MEDUSA_URL: commerce.url,
        CMS_API_KEY: 'stack-health-no-content-read',
        REVALIDATE_SECRET: 'stack-health-revalidate-secret-0123456789',
      },
      await freePort(),
    ),
    startPortal({ CMS_URL: rest.url }, await freePort()),
  ])
})

afterAll(async () => {
  await storefront?.stop()
  await portal?.stop()
  await ops?.stop({ graceMs: 1_000 })
  await rest?.close()
  await cms?.close()
  await commerce?.close()
})

// No shop has this host: health answers without tenant resolution.
const storefrontGet = async (path: string) => {
  const res = await getWithHost(storefront.port, 'probe.internal', path)
  return { ...res, json: JSON.parse(res.body) as ReadinessBody }
}

/** `pnpm status` (scripts/status.ts) as a process, pointed at this stack. */
function status(args: string[] = []): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/status.ts', ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        CMS_URL: rest?.url ?? 'http://127.0.0.1:1',
        STOREFRONT_URL: `http://127.0.0.1:${storefront.port}`,
        PORTAL_URL: portal?.url ?? 'http://127.0.0.1:1',
        MEDUSA_URL: commerce.url,
        DATABASE_URL: cms.db.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, out }))
  })
}

describe('storefront and portal health', () => {
  it('storefront: ready while the CMS and Medusa answer, on /api/health and /api/health/ready, for any host', async () => {
    for (const p of ['/api/health', '/api/health/ready']) {
      const res = await storefrontGet(p)
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
    const live = await storefrontGet('/api/health/live')
    expect(live.status).toBe(200)
    expect(live.json).toMatchObject({ status: 'ok', service: 'storefront' })
  })

  it('portal: ready while the CMS answers, live, without signing in', async () => {
    for (const p of ['/api/health', '/api/health/ready']) {
      const res = await fetch(`${portal!.url}${p}`, { redirect: 'manual' })
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toContain('no-store')
      expect(await res.json()).toMatchObject({ status: 'ok', service: 'portal', checks: { cms: { ok: true } } })
    }
    const live = await fetch(`${portal!.url}/api/health/live`, { redirect: 'manual' })
    expect(live.status).toBe(200)
    expect(await live.json()).toMatchObject({ status: 'ok', service: 'portal', version: expect.any(String) })
  })
})

describe('pnpm status', () => {
  it('exits 0 with every service ok, the worker, PostgreSQL and the queues when all is up', async () => {
    const { code, out } = await status(['--json'])
    expect(code, out).toBe(0)
    const report = JSON.parse(out)
    expect(report.ok).toBe(true)
    expect(report.services.map((s: { name: string; state: string }) => `${s.name} ${s.state}`)).toEqual([
      'cms ok',
      'storefront ok',
      'portal ok',
      'medusa ok',
    ])
    expect(report.services[0]).toMatchObject({ version: expect.any(String), uptimeSeconds: expect.any(Number) })
    expect(report.workers).toEqual([expect.objectContaining({ id: ops.heartbeat.id, kind: 'worker', missing: false })])
    expect(report.postgres).toMatchObject({
      reachable: true,
      version: expect.any(String),
      sizeBytes: expect.any(Number),
    })
    expect(report.queues.map((q: { name: string }) => q.name)).toContain('ops.alerts')
    expect(out).not.toContain('postgres:postgres@')

    const text = await status()
    expect(text.code).toBe(0)
    expect(text.out).toMatch(/^portal\s+http:\/\/127\.0\.0\.1:\d+\s+ok/m)
    expect(text.out).toMatch(/^worker \(worker\)\s+\S+ pid \d+\s+ok/m)
  })

  it('exits 1 and names the portal when it is down', async () => {
    await portal!.stop()
    portal = undefined
    const { code, out } = await status()
    expect(code, out).toBe(1)
    expect(out).toMatch(/^portal\s+\S+\s+DOWN/m)
    expect(out).toMatch(/^cms\s+\S+\s+ok/m)
    expect(out).toContain('portal down:')
  })

  it('storefront: 503 naming the CMS when it stops answering, still live; status says storefront not ready', async () => {
    const cmsPort = new URL(rest!.url).port
    await rest!.close()
    rest = undefined
    // The last result is reused for READINESS_CACHE_MS; then the refused connection shows.
    const down = await until(
      'readiness to see the CMS down',
      async () => {
        const res = await storefrontGet('/api/health')
        return res.status === 503 ? res : undefined
      },
      READINESS_CACHE_MS + 10_000,
      250,
    )
    expect(down.json).toMatchObject({ status: 'unavailable', checks: { cms: { ok: false }, medusa: { ok: true } } })
    expect(down.json.checks.cms!.error).toMatch(/ECONNREFUSED|fetch failed/)
    expect(down.body).not.toContain(cms.db.url)
    expect((await storefrontGet('/api/health/live')).status).toBe(200)

    const { code, out } = await status()
    expect(code).toBe(1)
    expect(out).toMatch(/^storefront\s+\S+\s+UNAVAILABLE\s.*not ready \(cms:/m)

    rest = await servePayloadRest(cms.config, Number(cmsPort))
    await until(
      'readiness to see the CMS back',
      async () => (await storefrontGet('/api/health')).status === 200,
      READINESS_CACHE_MS + 10_000,
      250,
    )
  })
})
