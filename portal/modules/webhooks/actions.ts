'use server'
/**
 * Webhooks from the portal: tenant-admins add, enable/disable, test, rotate, remove and redeliver; the
 * role is checked here and again by the CMS. A new or rotated secret is returned to the page once.
 */
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendWebhookTest,
  setWebhookEnabled,
  WEBHOOK_EVENTS,
} from '@lib/data/webhooks'
import { authorizeAction } from '@lib/session'
import { revalidatePath } from 'next/cache'
import { z } from 'zod'

export interface WebhookResult {
  ok?: boolean
  error?: string
  message?: string
  /** A new signing secret, shown once. */
  secret?: string
}

const form = z.object({
  url: z.url({ protocol: /^https?$/, error: 'URL: enter a full https:// URL' }).max(2000),
  description: z
    .string()
    .trim()
    .max(500, 'Description: at most 500 characters')
    .transform((s) => s || undefined),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Events: choose at least one event'),
})

const page = (tenant: string) => `/t/${tenant}/webhooks`

export async function addWebhookEndpoint(tenant: string, _prev: WebhookResult, data: FormData): Promise<WebhookResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const parsed = form.safeParse({
    url: String(data.get('url') ?? '').trim(),
    description: String(data.get('description') ?? ''),
    events: data.getAll('events').map(String),
  })
  if (!parsed.success) return { error: parsed.error.issues[0]!.message }
  const res = await createWebhookEndpoint(auth.ctx.session.token, tenant, parsed.data)
  if (!res.ok) return { error: res.error }
  revalidatePath(page(tenant))
  return {
    ok: true,
    message: 'Endpoint added. Copy its signing secret now: it will not be shown again.',
    secret: res.secret,
  }
}

/** Only this tenant's endpoints, whatever id the browser sends. */
async function owned(token: string, tenant: string, id: string) {
  return (await listWebhookEndpoints(token, tenant)).some((e) => String(e.id) === id)
}

async function onEndpoint(
  tenant: string,
  id: string,
  act: (token: string) => Promise<WebhookResult>,
): Promise<WebhookResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  if (!(await owned(auth.ctx.session.token, tenant, id))) return { error: 'No such endpoint in this tenant.' }
  const result = await act(auth.ctx.session.token)
  revalidatePath(page(tenant))
  return result
}

export const toggleWebhookEndpoint = async (tenant: string, id: string, enabled: boolean) =>
  onEndpoint(tenant, id, async (token) => {
    const res = await setWebhookEnabled(token, id, enabled)
    return res.ok ? { ok: true, message: enabled ? 'Enabled.' : 'Disabled.' } : { error: res.error }
  })

export const testWebhookEndpoint = async (tenant: string, id: string) =>
  onEndpoint(tenant, id, async (token) => {
    const res = await sendWebhookTest(token, id)
    return res.ok ? { ok: true, message: 'Test event queued; see the delivery log.' } : { error: res.error }
  })

export const rotateWebhookEndpointSecret = async (tenant: string, id: string) =>
  onEndpoint(tenant, id, async (token) => {
    const res = await rotateWebhookSecret(token, id)
    return res.ok
      ? { ok: true, message: 'New secret; copy it now: it will not be shown again.', secret: res.secret }
      : { error: res.error }
  })

export const removeWebhookEndpoint = async (tenant: string, id: string) =>
  onEndpoint(tenant, id, async (token) => {
    const res = await deleteWebhookEndpoint(token, id)
    return res.ok ? { ok: true, message: 'Removed.' } : { error: res.error }
  })

export async function redeliver(tenant: string, deliveryId: string): Promise<WebhookResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const deliveries = await listWebhookDeliveries(auth.ctx.session.token, tenant, 100)
  if (!deliveries.some((d) => String(d.id) === deliveryId)) return { error: 'No such delivery in this tenant.' }
  const res = await redeliverWebhook(auth.ctx.session.token, deliveryId)
  revalidatePath(page(tenant))
  return res.ok ? { ok: true, message: 'Queued again.' } : { error: res.error }
}
