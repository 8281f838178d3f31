/**
 * The storefront (storefront/, Next.js) for `pnpm dev`: a Payload API key it reads content with, and
 * its dev server on STOREFRONT_PORT.
 *
 * The key belongs to a `storefront@bizosaas.dev` user holding the read-only `client` role in every
 * tenant (no admin rights), made or refreshed through Payload's REST API as the demo super-admin.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { repoRoot } from './env.ts'
import { keptSecret } from './stack.ts'

export const storefrontDir = path.join(repoRoot, 'storefront')
export const STOREFRONT_READER = 'storefront@bizosaas.dev'

interface EnsureKeyOptions {
  cmsUrl: string
  dataDir: string
  /** A super-admin who may create users and set roles. */
  admin: { email: string; password: string }
}

/** The reader's API key (kept in DATA_DIR/storefront-cms-api-key); the user is made or updated to hold it. */
export async function ensureStorefrontCmsKey({ cmsUrl, dataDir, admin }: EnsureKeyOptions): Promise<string> {
  const apiKey = await keptSecret(dataDir, 'storefront-cms-api-key')
  const call = async (method: string, pathAndQuery: string, body?: unknown, token?: string) => {
    const res = await fetch(`${cmsUrl}/api${pathAndQuery}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>
    if (!res.ok) throw new Error(`${method} ${pathAndQuery.split('?')[0]} answered ${res.status}`)
    return json
  }
  const { token } = (await call('POST', '/users/login', admin)) as { token: string }
  const tenants = ((await call('GET', '/tenants?limit=500&depth=0', undefined, token)).docs ?? []) as { id: number }[]
  const data = {
    // Only super-admins may change a service account (cms/src/collections/users/access.ts).
    serviceAccount: true,
    enableAPIKey: true,
    apiKey,
    tenants: tenants.map((t) => ({ tenant: t.id, roles: ['client'] })),
  }
  const found = (
    await call('GET', `/users?where[email][equals]=${encodeURIComponent(STOREFRONT_READER)}&depth=0`, undefined, token)
  ).docs as { id: number }[]
  if (found[0]) await call('PATCH', `/users/${found[0].id}`, data, token)
  else
    await call(
      'POST',
      '/users',
      {
        email: STOREFRONT_READER,
        name: 'Storefront (reads content)',
        password: randomBytes(24).toString('hex'),
        roles: ['user'],
        ...data,
      },
      token,
    )
  return apiKey
}
