/**
 * Medusa down: the sync retries with backoff, then dead-letters the job with the reason; nothing is
 * half-written in Payload, the document says why it is stale, and the admin's health lists the failure.
 * No Medusa runs here: the CMS points at a port nothing listens on.
 */
import { createServer } from 'node:net'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { until as pollUntil } from '@bizosaas/scripts/test/until'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRODUCT_CONTENT, PRODUCT_SYNC_DLQ, PRODUCT_SYNC_QUEUE } from '../constants.ts'
import { bridgeBossOf, enqueueProductSync, stopBridgeBoss } from './queue.ts'
import { type MedusaSyncWorker, startMedusaSync } from './worker.ts'

const until = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 45_000) =>
  pollUntil(what, check, timeoutMs, 250)

/** A port that was free a moment ago: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

let cms: TestCms
let payload: Payload
let worker: MedusaSyncWorker
let tenantId: number
let adminToken: string
let managerToken: string

beforeAll(async () => {
  const port = await closedPort()
  cms = await startTestCms('medusa_down', {
    medusa: { url: `http://127.0.0.1:${port}`, apiKey: 'sk_test_unreachable', retry: { limit: 1, delaySeconds: 1 } },
  })
  payload = cms.payload
  const tenant = await payload.create({
    collection: 'tenants',
    data: { name: 'Lamp Shop', slug: 'lamp-shop', commerce: { salesChannelId: 'sc_lamps' } } as never,
  })
  tenantId = tenant.id as number
  await payload.create({
    collection: 'users',
    data: { email: 'root@test.dev', password: 'secret-pass-1', roles: ['super-admin'], name: 'Root' } as never,
  })
  await payload.create({
    collection: 'users',
    data: {
      email: 'manager@lamps.dev',
      password: 'secret-pass-1',
      roles: ['user'],
      name: 'Manager',
      tenants: [{ tenant: tenantId, roles: ['manager'] }],
    } as never,
  })
  adminToken = await cms.login('root@test.dev', 'secret-pass-1')
  managerToken = await cms.login('manager@lamps.dev', 'secret-pass-1')
  worker = await startMedusaSync(payload)
})

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  await cms?.close()
})

describe('when Medusa cannot be reached', () => {
  it('records why enabling a tenant’s shop could not link it, and still saves the tenant', async () => {
    const res = await cms.rest.patch(`/tenants/${tenantId}`, { commerce: { enabled: true } }, adminToken)
    expect(res.status).toBe(200)
    const tenant = (await payload.findByID({ collection: 'tenants', id: tenantId })) as unknown as {
      commerce: { enabled: boolean; linkError?: string; salesChannelId?: string }
    }
    expect(tenant.commerce.enabled).toBe(true)
    expect(tenant.commerce.linkError).toMatch(/fetch failed|ECONNREFUSED|connect/i)
    // What was linked before stays as it was.
    expect(tenant.commerce.salesChannelId).toBe('sc_lamps')
  })

  it('retries a product sync with backoff, dead-letters it with the reason, and writes nothing half-way', async () => {
    const existing = await payload.create({
      collection: PRODUCT_CONTENT as never,
      data: {
        tenant: tenantId,
        title: 'Brass lamp',
        medusaProductId: 'prod_brass',
        handle: 'brass-lamp',
        seo: { metaTitle: 'Brass lamp by Lamp Shop' },
      } as never,
    })
    const started = Date.now()
    await enqueueProductSync(payload, { productId: 'prod_brass', event: 'product.updated' })
    await enqueueProductSync(payload, { productId: 'prod_new', event: 'product.created' })
    const boss = await bridgeBossOf(payload)

    const dead = await until('both jobs to be dead-lettered', async () => {
      const jobs = await boss.findJobs<{ productId: string }>(PRODUCT_SYNC_DLQ)
      return jobs.length >= 2 ? jobs : undefined
    })
    expect(dead.map((job) => job.data.productId).sort()).toEqual(['prod_brass', 'prod_new'])
    // Two attempts each (retry limit 1), the second after the backoff delay.
    expect(Date.now() - started).toBeGreaterThan(1_000)
    const failed = await boss.findJobs<{ productId: string }>(PRODUCT_SYNC_QUEUE)
    expect(failed.every((job) => job.state === 'failed' && job.retryCount === 1)).toBe(true)

    const doc = (await payload.findByID({
      collection: PRODUCT_CONTENT as never,
      id: (existing as { id: number }).id,
    })) as unknown as {
      title: string
      handle: string
      seo: { metaTitle: string }
      sync: { state: string; error: string }
    }
    expect(doc).toMatchObject({
      title: 'Brass lamp',
      handle: 'brass-lamp',
      seo: { metaTitle: 'Brass lamp by Lamp Shop' },
    })
    expect(doc.sync.state).toBe('failed')
    expect(doc.sync.error).toMatch(/fetch failed|ECONNREFUSED|connect/i)
    const created = await payload.find({
      collection: PRODUCT_CONTENT as never,
      where: { medusaProductId: { equals: 'prod_new' } },
    })
    expect(created.totalDocs).toBe(0)
  })

  it('shows the failures: everything to platform admins, their tenant’s to members', async () => {
    const admin = await cms.rest.get('/medusa/health', adminToken)
    expect(admin.status).toBe(200)
    const body = admin.body as unknown as {
      scope: string
      queues: { queue: string; deadLettered: number }[]
      failures: { kind: string; subject: string; reason: string }[]
    }
    expect(body.scope).toBe('platform')
    expect(body.queues.find((q) => q.queue === PRODUCT_SYNC_QUEUE)?.deadLettered).toBe(2)
    expect(body.failures.map((f) => `${f.kind}:${f.subject}`).sort()).toEqual([
      'product:prod_brass',
      'product:prod_new',
      'tenant:lamp-shop',
    ])

    const member = await cms.rest.get('/medusa/health', managerToken)
    expect(member.status).toBe(200)
    const memberBody = member.body as unknown as { scope: string; queues: unknown[]; failures: { subject: string }[] }
    expect(memberBody.scope).toBe('tenant')
    expect(memberBody.queues).toEqual([])
    expect(memberBody.failures.map((f) => f.subject).sort()).toEqual(['lamp-shop', 'prod_brass'])

    expect((await cms.rest.get('/medusa/health')).status).toBe(401)
  })

  it('starts again on queues made by an earlier start (a restarted CMS), keeping them as configured', async () => {
    await worker.stop()
    await stopBridgeBoss(payload)
    const boss = await bridgeBossOf(payload)
    expect(await boss.getQueue(PRODUCT_SYNC_QUEUE)).toMatchObject({ policy: 'stately', notify: true })
    expect(await boss.getQueue(PRODUCT_SYNC_DLQ)).toBeTruthy()
    worker = await startMedusaSync(payload)
  })

  it('refuses a re-sync from members and bad bodies with a message, and reports Medusa being down', async () => {
    const forbidden = await cms.rest.post('/medusa/resync', {}, managerToken)
    expect(forbidden.status).toBe(403)
    const bad = await cms.rest.post('/medusa/resync', { tenants: ['Not A Slug'] }, adminToken)
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('tenant slug')
    const down = await cms.rest.post('/medusa/resync', { tenants: ['lamp-shop'] }, adminToken)
    expect(down.status).toBe(502)
    expect(String(down.body.error)).toMatch(/Re-sync failed/)
  })
})
