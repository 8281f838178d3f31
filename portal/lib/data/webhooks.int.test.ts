/**
 * The portal's webhook data functions against a real Payload (migrated database, seeded, REST over real
 * HTTP) with each seeded user's own JWT: the secret comes back once, lists never carry it, managers read
 * but cannot change, another tenant sees nothing, and refusals come back as messages a person can act on.
 */

import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { servePayloadRest } from '../../e2e/harness.ts'
import {
  createWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendWebhookTest,
  setWebhookEnabled,
} from './webhooks.ts'

let cms: TestCms
let rest: { url: string; close(): Promise<void> }
const tenants = { a: '', b: '' }
const tokens: Record<string, string> = {}

beforeAll(async () => {
  cms = await startTestCms('portal_webhooks')
  await seed(cms.payload)
  const found = await cms.payload.find({ collection: 'tenants', depth: 0 })
  tenants.a = String(found.docs.find((t) => t.slug === 'bizoholic')!.id)
  tenants.b = String(found.docs.find((t) => t.slug === 'coreldove')!.id)
  for (const who of ['owner', 'manager', 'client'])
    for (const domain of ['bizoholic', 'coreldove'])
      tokens[`${who}@${domain}`] = await cms.login(`${who}@${domain}.dev`, DEMO_PASSWORD)
  rest = await servePayloadRest(cms.config)
  process.env.CMS_URL = rest.url
})

afterAll(async () => {
  await rest?.close()
  await cms?.close()
})

describe('webhooks data layer', () => {
  it('adds an endpoint with its secret once; lists never show it; managers read, clients and other tenants see nothing', async () => {
    const created = await createWebhookEndpoint(tokens['owner@bizoholic']!, tenants.a, {
      url: 'https://hooks.example.com/bizosaas',
      description: 'Orders to the ERP',
      events: ['order.placed', 'run.finished'],
    })
    expect(created.ok).toBe(true)
    if (!created.ok) return
    expect(created.secret).toMatch(/^whsec_/)

    const asOwner = await listWebhookEndpoints(tokens['owner@bizoholic']!, tenants.a)
    expect(asOwner.map((e) => e.id)).toEqual([created.id])
    expect(asOwner[0]).toMatchObject({ url: 'https://hooks.example.com/bizosaas', enabled: true })
    expect(JSON.stringify(asOwner)).not.toContain(created.secret)
    expect((await listWebhookEndpoints(tokens['manager@bizoholic']!, tenants.a)).map((e) => e.id)).toEqual([created.id])
    expect(await listWebhookEndpoints(tokens['client@bizoholic']!, tenants.a)).toEqual([])
    expect(await listWebhookEndpoints(tokens['owner@coreldove']!, tenants.a)).toEqual([])
  })

  it('a bad URL or no events is refused with a message naming the field', async () => {
    const bad = await createWebhookEndpoint(tokens['owner@bizoholic']!, tenants.a, {
      url: 'http://example.com/hook',
      events: ['run.finished'],
    })
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/^url: .*https:\/\//) })
    const none = await createWebhookEndpoint(tokens['owner@bizoholic']!, tenants.a, {
      url: 'https://example.com/hook',
      events: [],
    })
    expect(none).toMatchObject({ ok: false, error: expect.stringContaining('events') })
    const manager = await createWebhookEndpoint(tokens['manager@bizoholic']!, tenants.a, {
      url: 'https://example.com/hook',
      events: ['run.finished'],
    })
    expect(manager.ok).toBe(false)
  })

  it('test, rotate, enable/disable and redeliver: tenant-admins only, with actionable refusals', async () => {
    const [endpoint] = await listWebhookEndpoints(tokens['owner@bizoholic']!, tenants.a)
    const id = String(endpoint!.id)
    const test = await sendWebhookTest(tokens['owner@bizoholic']!, id)
    expect(test.ok).toBe(true)
    // No worker runs here: the test delivery waits, and the log shows it.
    const [delivery] = await listWebhookDeliveries(tokens['manager@bizoholic']!, tenants.a)
    expect(delivery).toMatchObject({ eventType: 'webhook.test', status: 'pending', attempts: 0 })
    expect(await listWebhookDeliveries(tokens['owner@coreldove']!, tenants.a)).toEqual([])
    expect(await redeliverWebhook(tokens['owner@bizoholic']!, String(delivery!.id))).toEqual({
      ok: false,
      error: 'This delivery is still being attempted; wait for it to succeed or fail.',
    })

    expect(await sendWebhookTest(tokens['manager@bizoholic']!, id)).toEqual({
      ok: false,
      error: 'Your role in this tenant cannot change webhooks; ask a tenant admin.',
    })
    expect(await rotateWebhookSecret(tokens['manager@bizoholic']!, id)).toMatchObject({ ok: false })
    expect(await rotateWebhookSecret(tokens['owner@coreldove']!, id)).toEqual({
      ok: false,
      error: `No webhook endpoint ${id}`,
    })
    const rotated = await rotateWebhookSecret(tokens['owner@bizoholic']!, id)
    expect(rotated).toMatchObject({ ok: true, secret: expect.stringMatching(/^whsec_/) })

    expect((await setWebhookEnabled(tokens['manager@bizoholic']!, id, false)).ok).toBe(false)
    expect(await setWebhookEnabled(tokens['owner@bizoholic']!, id, false)).toEqual({ ok: true })
    expect(await sendWebhookTest(tokens['owner@bizoholic']!, id)).toEqual({
      ok: false,
      error: 'This endpoint is disabled; enable it to send a test event.',
    })
  })
})
