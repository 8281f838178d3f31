'use server'
import { createIntegration, deleteIntegration, listIntegrations, testIntegration } from '@lib/data/integrations'
import { authorizeAction } from '@lib/session'
/** Integrations (the vault): tenant-admins only. The secret goes to the CMS once and is never read back. */
import { revalidatePath } from 'next/cache'
import { z } from 'zod'

export interface IntegrationResult {
  ok?: boolean
  error?: string
  message?: string
}

const form = z.object({
  name: z.string().trim().min(1, 'Name: give the integration a name').max(120),
  provider: z.enum(['openai', 'anthropic'], 'Provider: choose OpenAI or Anthropic'),
  baseUrl: z
    .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Base URL: use an http(s) URL' })])
    .transform((s) => s || undefined),
  secret: z.string().trim().min(8, 'Secret: paste the API key (at least 8 characters)'),
})

export async function addIntegration(
  tenant: string,
  _prev: IntegrationResult,
  data: FormData,
): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const parsed = form.safeParse(Object.fromEntries(data))
  if (!parsed.success) return { error: parsed.error.issues[0]!.message }
  const res = await createIntegration(auth.ctx.session.token, tenant, parsed.data)
  if (!res.ok) return { error: res.error }
  revalidatePath(`/t/${tenant}/integrations`)
  return { ok: true, message: `Saved "${parsed.data.name}". The key is stored encrypted and will not be shown again.` }
}

/** Only this tenant's integrations, whatever id the browser sends. */
async function owned(token: string, tenant: string, id: string) {
  return (await listIntegrations(token, tenant)).some((i) => String(i.id) === id)
}

export async function runConnectionTest(tenant: string, id: string): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  if (!(await owned(auth.ctx.session.token, tenant, id))) return { error: 'No such integration in this tenant.' }
  const res = await testIntegration(auth.ctx.session.token, id)
  revalidatePath(`/t/${tenant}/integrations`)
  return res.ok ? { ok: true, message: res.message } : { error: res.message }
}

export async function removeIntegration(tenant: string, id: string): Promise<IntegrationResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  if (!(await owned(auth.ctx.session.token, tenant, id))) return { error: 'No such integration in this tenant.' }
  const res = await deleteIntegration(auth.ctx.session.token, id)
  revalidatePath(`/t/${tenant}/integrations`)
  return res.ok ? { ok: true, message: 'Removed.' } : { error: res.error }
}
