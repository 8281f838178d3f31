/** The tenant's integrations (the vault): names, provider, key hint and last test — never the secret. */
import { cmsErrorMessage, cmsFetch, whereQuery } from '@lib/data/cms'

export interface Integration {
  id: number
  name: string
  provider: 'openai' | 'anthropic'
  baseUrl?: string | null
  secretHint?: string | null
  keyId?: string | null
  lastTest?: { ok?: boolean | null; message?: string | null; checkedAt?: string | null }
  updatedAt: string
}

export async function listIntegrations(token: string, tenant: string): Promise<Integration[]> {
  const res = await cmsFetch<{ docs: Integration[] }>(
    `/integrations?${whereQuery({ tenant: { equals: tenant } })}&depth=0&limit=100&sort=name`,
    { token },
  )
  return res.ok ? res.body.docs : []
}

export async function createIntegration(
  token: string,
  tenant: string,
  data: { name: string; provider: string; baseUrl?: string; secret: string },
) {
  const res = await cmsFetch('/integrations', { token, method: 'POST', body: { ...data, tenant: Number(tenant) } })
  return res.ok ? { ok: true as const } : { ok: false as const, error: cmsErrorMessage(res.body) }
}

export async function testIntegration(token: string, id: string) {
  const res = await cmsFetch<{ ok: boolean; message: string; error?: string }>(`/integrations/${id}/test`, {
    token,
    method: 'POST',
    body: {},
  })
  return res.ok ? res.body : { ok: false, message: cmsErrorMessage(res.body) }
}

export async function deleteIntegration(token: string, id: string) {
  const res = await cmsFetch(`/integrations/${id}`, { token, method: 'DELETE' })
  return res.ok ? { ok: true as const } : { ok: false as const, error: cmsErrorMessage(res.body) }
}
