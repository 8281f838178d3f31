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
    try {
      return json(await repairCommerce(req.payload, parsed.data))
    } catch (error) {
      if (error instanceof MedusaNotConfiguredError) return json({ error: error.message }, 503)
      req.payload.logger.error({ err: error }, 'medusa resync failed')
      return json({ error: `Re-sync failed: ${(error as Error).message}` }, 502)
    }
  },
}
