import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { MedusaNotConfiguredError } from './client.ts'
import { bridgeHealth } from './health.ts'
import { repairCommerce } from './sync/repair.ts'

const json = (body: unknown, status = 200) => Response.json(body, { status })
const isSuperAdmin = (req: PayloadRequest) =>
  (req.user as { roles?: string[] } | null)?.roles?.includes('super-admin') === true

/** `GET /api/medusa/health`: the bridge's queues (platform admins) and failures with reasons. */
export const healthEndpoint: Endpoint = {
  path: '/medusa/health',
  method: 'get',
  handler: async (req) => {
    if (!req.user) return json({ error: 'Sign in to see the commerce sync.' }, 401)
    return json(await bridgeHealth(req.payload, req))
  },
}

const resyncBody = z
  .object({
    tenants: z
      .array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a tenant slug like "coreldove"'))
      .min(1)
      .max(100)
      .optional()
      .describe('Tenant slugs to repair; all commerce-enabled tenants when omitted'),
  })
  .strict()

/** `POST /api/medusa/resync`: links commerce-enabled tenants and re-syncs their products (platform admins). */
export const resyncEndpoint: Endpoint = {
  path: '/medusa/resync',
  method: 'post',
  handler: async (req) => {
    if (!req.user) return json({ error: 'Sign in first.' }, 401)
    if (!isSuperAdmin(req)) return json({ error: 'Only platform admins can re-sync commerce.' }, 403)
    let raw: unknown = {}
    try {
      const text = await req.text?.()
      raw = text ? JSON.parse(text) : {}
    } catch {
      return json({ error: 'The body must be JSON, e.g. {"tenants": ["coreldove"]}.' }, 400)
    }
    const parsed = resyncBody.safeParse(raw)
    if (!parsed.success)
      return json(
        {
          error: 'Invalid re-sync request.',
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
        400,
      )
    const unknown = await unknownTenants(req, parsed.data.tenants)
    if (unknown.length)
      return json(
        { error: `No tenant with the slug ${unknown.map((slug) => `"${slug}"`).join(', ')}; nothing was re-synced.` },
        404,
      )
    try {
      return json(await repairCommerce(req.payload, parsed.data))
    } catch (error) {
      if (error instanceof MedusaNotConfiguredError) return json({ error: error.message }, 503)
      req.payload.logger.error({ err: error }, 'medusa resync failed')
      return json({ error: `Re-sync failed: ${(error as Error).message}` }, 502)
    }
  },
}

/** The slugs in `slugs` that name no tenant (a typo would otherwise re-sync nothing and report success). */
async function unknownTenants(req: PayloadRequest, slugs: string[] | undefined): Promise<string[]> {
  if (!slugs?.length) return []
  const { docs } = await req.payload.find({
    collection: 'tenants' as never,
    where: { slug: { in: slugs } },
    depth: 0,
    limit: 0,
    pagination: false,
    overrideAccess: true,
  })
  const known = new Set((docs as unknown as { slug: string }[]).map((t) => t.slug))
  return slugs.filter((slug) => !known.has(slug))
}
