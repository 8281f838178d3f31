/**
 * Payload media for shoppers: a file is served only if a media document of the host's tenant has it
 * (as the original or one of its sizes), read with the storefront's key and cached by browsers.
 */
import { storefrontEnv } from '@lib/env'
import { z } from 'zod'
import { cmsGet, cmsQuery } from './cms'
import type { Tenant } from './tenants'

const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/
const SIZES = ['thumbnail', 'card', 'hero', 'heroPhone', 'heroWide'] as const

/** Whether `filename` belongs to one of the tenant's media documents (cached). */
export async function tenantOwnsMedia(tenant: Tenant, filename: string): Promise<boolean> {
  if (!FILENAME.test(filename)) return false
  const or = [
    { filename: { equals: filename } },
    ...SIZES.map((size) => ({ [`sizes.${size}.filename`]: { equals: filename } })),
  ]
  const query = cmsQuery({
    where: { tenant: { equals: tenant.id }, or: Object.fromEntries(or.map((w, i) => [i, w])) },
    depth: 0,
    limit: 1,
    'select[id]': true,
  })
  const { totalDocs } = await cmsGet(`/media${query}`, z.object({ totalDocs: z.number() }), {
    tags: [`media:${tenant.slug}`],
  })
  return totalDocs > 0
}

/** The file's bytes from Payload (not through the data cache: files can be large). */
export async function fetchMediaFile(filename: string): Promise<Response> {
  const env = storefrontEnv()
  return fetch(`${env.CMS_URL}/api/media/file/${encodeURIComponent(filename)}`, {
    headers: env.CMS_API_KEY ? { authorization: `users API-Key ${env.CMS_API_KEY}` } : {},
    cache: 'no-store',
    signal: AbortSignal.timeout(15_000),
  })
}
