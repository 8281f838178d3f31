/**
 * Placed orders → `order.placed` webhooks, on the real CMS (Payload on its own PostgreSQL database, real
 * pg-boss, real HTTP to the connectors' testing receivers): a `medusa.order-placed` job, as Medusa's
 * subscriber sends it, reaches only the endpoint of the tenant linked to its sales channel, signed;
 * an unknown sales channel sends nothing and is logged; the same order twice is one delivery.
 * No Medusa runs here: the job is what the bridge reads, and the tenants' sales channels are set directly.
 */
import { randomBytes } from 'node:crypto'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import type { OrderPlacedJob } from '@bizosaas/contracts/order-placed'
import { startWebhookReceiver, type WebhookReceiver } from '@bizosaas/plugin-connectors/testing'
import { startWebhookWorker, type WebhookWorker } from '@bizosaas/plugin-connectors/webhooks'
import { until as pollUntil } from '@bizosaas/scripts/test/until'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ORDER_PLACED_QUEUE } from '../constants.ts'
import { bridgeBossOf } from './queue.ts'
import { type MedusaSyncWorker, startMedusaSync } from './worker.ts'

process.env.VAULT_KEYS ??= `k1:${randomBytes(32).toString('base64')}`

const until = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000) =>
  pollUntil(what, check, timeoutMs, 200)

let cms: TestCms
let payload: Payload
let bridge: MedusaSyncWorker
let webhooks: WebhookWorker
const receivers: Record<'a' | 'b', WebhookReceiver> = {} as never
const tenants = { a: 0, b: 0 }
const warnings: string[] = []

const orderJob = (orderId: string, salesChannelId: string): OrderPlacedJob => ({
  orderId,
  salesChannelId,
  displayId: 42,
  total: 59.8,
  currencyCode: 'eur',
  createdAt: '2026-12-08T01:00:00.000Z',
  itemCount: 3,
})

/** Sends the job as Medusa's subscriber does, and waits until the bridge has settled it. */
async function placeAndSettle(job: OrderPlacedJob) {
  const boss = await bridgeBossOf(payload)
  const id = await boss.send(ORDER_PLACED_QUEUE, job, { singletonKey: job.orderId })
  expect(id).toEqual(expect.any(String))
  return until(`job ${id} to settle`, async () => {
    const row = await boss.getJobById(ORDER_PLACED_QUEUE, id!)
    return row && ['completed', 'failed'].includes(row.state) && row
  })
}

const deliveriesOf = async (eventId: string) =>
  (
    await payload.find({
      collection: 'webhook-deliveries' as never,
      where: { eventId: { equals: eventId } },
      depth: 0,
      overrideAccess: true,
    })
  ).docs as unknown as { tenant: number; eventType: string; status: string }[]

beforeAll(async () => {
  ;[receivers.a, receivers.b] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()])
  cms = await startTestCms('medusa_orders', {
    medusa: { retry: { limit: 1, delaySeconds: 1 } },
    webhooks: { retryLimit: 1, retryDelaySeconds: 1, timeoutMs: 2_000 },
  })
  payload = cms.payload
  for (const [key, slug] of [
    ['a', 'lamp-shop'],
    ['b', 'tea-house'],
  ] as const) {
    const tenant = await payload.create({
      collection: 'tenants',
      data: { name: slug, slug, commerce: { salesChannelId: `sc_${slug}` } } as never,
    })
    tenants[key] = tenant.id as number
    // Both tenants subscribe to order.placed, each with its own receiver and secret.
    const endpoint = (await payload.create({
      collection: 'webhook-endpoints' as never,
      data: { tenant: tenant.id, url: receivers[key].url, events: ['order.placed'] } as never,
      overrideAccess: true,
    })) as unknown as { secret?: string }
    expect(endpoint.secret).toMatch(/^whsec_/)
    receivers[key].secret = endpoint.secret
  }
  const warn = payload.logger.warn.bind(payload.logger)
  vi.spyOn(payload.logger, 'warn').mockImplementation(((...args: unknown[]) => {
    warnings.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    return (warn as (...a: unknown[]) => void)(...args)
  }) as never)
  bridge = await startMedusaSync(payload)
  webhooks = await startWebhookWorker(payload, { pollingIntervalSeconds: 0.5 })
}, 120_000)

afterAll(async () => {
  await bridge?.stop({ graceMs: 2_000 })
  await webhooks?.stop({ graceMs: 2_000 })
  await cms?.close()
  await Promise.all(Object.values(receivers).map((r) => r?.close()))
})

describe('order.placed from Medusa', () => {
  it('reaches only the endpoint of the tenant linked to the sales channel, signed, with no personal data', async () => {
    const job = await placeAndSettle(orderJob('order_01', 'sc_lamp-shop'))
    expect(job.state).toBe('completed')
    const [received] = await receivers.a.waitFor(1)
    expect(received!.verified).toBe(true)
    expect(received!.id).toBe('order.placed:order_01')
    expect(received!.json).toMatchObject({
      id: 'order.placed:order_01',
      type: 'order.placed',
      tenant: tenants.a,
      data: {
        orderId: 'order_01',
        displayId: 42,
        salesChannelId: 'sc_lamp-shop',
        total: 59.8,
        currencyCode: 'eur',
        itemCount: 3,
        createdAt: '2026-12-08T01:00:00.000Z',
      },
    })
    expect(Object.keys((received!.json as { data: object }).data).sort()).toEqual(
      ['createdAt', 'currencyCode', 'displayId', 'itemCount', 'orderId', 'salesChannelId', 'total'].sort(),
    )
    // B's endpoint is subscribed too, but the order is not B's: no row, nothing received.
    const rows = await deliveriesOf('order.placed:order_01')
    expect(rows.map((r) => r.tenant)).toEqual([tenants.a])
    await until(
      'A’s delivery to succeed',
      async () => (await deliveriesOf('order.placed:order_01'))[0]?.status === 'succeeded',
    )
    expect(receivers.b.received).toHaveLength(0)
  })

  it('sends nothing for a sales channel no tenant is linked to, completes the job and logs why', async () => {
    const job = await placeAndSettle(orderJob('order_stray', 'sc_nobody'))
    expect(job.state).toBe('completed')
    expect(await deliveriesOf('order.placed:order_stray')).toHaveLength(0)
    expect(warnings.some((w) => w.includes('order_stray') && w.includes('sc_nobody') && w.includes('no tenant'))).toBe(
      true,
    )
    expect(receivers.a.received.filter((r) => r.id === 'order.placed:order_stray')).toHaveLength(0)
    expect(receivers.b.received).toHaveLength(0)
  })

  it('delivers the same order once when Medusa sends it twice', async () => {
    const before = receivers.b.received.length
    for (let i = 0; i < 2; i++)
      expect((await placeAndSettle(orderJob('order_twice', 'sc_tea-house'))).state).toBe('completed')
    expect(await deliveriesOf('order.placed:order_twice')).toHaveLength(1)
    await receivers.b.waitFor(before + 1)
    await until(
      'B’s delivery to succeed',
      async () => (await deliveriesOf('order.placed:order_twice'))[0]?.status === 'succeeded',
    )
    const got = receivers.b.received.filter((r) => r.id === 'order.placed:order_twice')
    expect(got).toHaveLength(1)
    expect(got[0]!.verified).toBe(true)
  })
})
