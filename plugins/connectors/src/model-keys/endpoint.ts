/**
 * `GET/PUT /api/connectors/model-keys?tenant=<id>`: a tenant's model-key policy (whose keys pay for its
 * runs). Tenant-admins of that tenant and super-admins — whoever may update the tenant; members who may
 * not are 403, anyone else 404 (the tenant is not theirs to know of).
 */
import type { CollectionConfig, Endpoint, PayloadRequest, Where } from 'payload'
import { z } from 'zod'
import { MODEL_KEY_POLICIES, MODEL_KEYS_FIELD, modelKeyPolicyOf, modelKeyPolicySchema } from './policy.ts'

const PATH = '/connectors/model-keys'
const TENANTS = 'tenants'

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const tenantId = z
  .union([z.number(), z.string()])
  .transform(String)
  .pipe(z.string().regex(/^[1-9]\d{0,14}$/, 'Pass ?tenant=<id>: a tenant id is a positive whole number'))
  .transform(Number)

const putBody = z.strictObject({
  policy: modelKeyPolicySchema.describe('Whose model keys pay for this tenant’s agent runs'),
  tenant: z.union([z.number(), z.string()]).optional().describe('The tenant (or ?tenant=)'),
})

/** The tenant the request names, which the caller may administer. */
async function adminTenant(req: PayloadRequest, fromBody?: unknown): Promise<number> {
  if (!req.user) throw new HttpError(401, 'Sign in first.')
  const requested = req.searchParams?.get('tenant') ?? fromBody
  if (requested === undefined || requested === null || requested === '')
    throw new HttpError(400, 'Say which tenant: pass ?tenant=<id>')
  const parsed = tenantId.safeParse(requested)
  if (!parsed.success) throw new HttpError(400, parsed.error.issues[0]!.message)
  const id = parsed.data
  const visible = await req.payload.findByID({
    collection: TENANTS as never,
    id,
    depth: 0,
    overrideAccess: false,
    user: req.user,
    req,
    disableErrors: true,
    select: { id: true } as never,
  })
  if (!visible) throw new HttpError(404, `No tenant ${id} for this user`)
  if (!(await mayUpdate(req, id)))
    throw new HttpError(403, 'Only a tenant admin can see or change whose model keys this tenant uses.')
  return id
}

/** The tenants collection's own update access for this tenant (a boolean, or a query it must match). */
async function mayUpdate(req: PayloadRequest, id: number): Promise<boolean> {
  const access = (req.payload.collections as Record<string, { config: CollectionConfig } | undefined>)[TENANTS]?.config
    .access?.update
  if (!access) return false
  const result = await access({ req, id })
  if (typeof result === 'boolean') return result
  const { totalDocs } = await req.payload.count({
    collection: TENANTS as never,
    where: { and: [{ id: { equals: id } }, result as Where] },
    overrideAccess: true,
  })
  return totalDocs > 0
}

async function readBody(req: PayloadRequest): Promise<unknown> {
  const text = req.text ? await req.text() : ''
  if (!text.trim()) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.')
  }
}

const handle =
  (fn: (req: PayloadRequest) => Promise<Response>): Endpoint['handler'] =>
  async (req) => {
    try {
      return await fn(req)
    } catch (error) {
      if (error instanceof HttpError) return Response.json({ error: error.message }, { status: error.status })
      throw error
    }
  }

const answer = (tenant: number, policy: string) => Response.json({ tenant, policy, policies: MODEL_KEY_POLICIES })

export const modelKeysEndpoints: Endpoint[] = [
  {
    path: PATH,
    method: 'get',
    handler: handle(async (req) => {
      const tenant = await adminTenant(req)
      return answer(tenant, await modelKeyPolicyOf(req.payload, tenant))
    }),
  },
  {
    path: PATH,
    method: 'put',
    handler: handle(async (req) => {
      const body = putBody.safeParse(await readBody(req))
      if (!body.success) {
        const issue = body.error.issues[0]!
        throw new HttpError(400, issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)
      }
      const tenant = await adminTenant(req, body.data.tenant)
      await req.payload.update({
        collection: TENANTS as never,
        id: tenant,
        data: { [MODEL_KEYS_FIELD]: body.data.policy } as never,
        overrideAccess: false,
        user: req.user,
        req,
        depth: 0,
      })
      return answer(tenant, body.data.policy)
    }),
  },
]
