/** What the connectors endpoints share: errors a person can act on as JSON, the JSON body, and who may see or change a tenant's connections. */
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { connectorsConfigOf } from '../defaults.ts'
import { ConnectionError } from '../define.ts'
import type { Id } from '../types.ts'

/** A refusal with an HTTP status and a message a person can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
  }
}

/** How a `ConnectionError` that reaches an endpoint answers. */
const CONNECTION_ERROR_STATUS: Record<ConnectionError['code'], number> = {
  'not-connected': 404,
  'needs-reconnect': 409,
  error: 422,
  unavailable: 503,
}

/** Wraps a handler: an `HttpError` becomes its JSON 4xx; anything else is thrown on (a 500). */
export const handle =
  (fn: (req: PayloadRequest) => Promise<Response>): Endpoint['handler'] =>
  async (req) => {
    try {
      return await fn(req)
    } catch (error) {
      if (error instanceof HttpError)
        return Response.json({ error: error.message, ...error.details }, { status: error.status })
      if (error instanceof ConnectionError)
        return Response.json(
          { error: error.message, code: error.code },
          { status: CONNECTION_ERROR_STATUS[error.code] },
        )
      throw error
    }
  }

/** The JSON body; none reads as `{}` (the schema then names what is missing). */
export async function readJson(req: PayloadRequest): Promise<unknown> {
  const text = req.text ? await req.text() : ''
  if (!text.trim()) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.')
  }
}

/** Parses `value` with `schema`; a 400 naming the first problem's field otherwise. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const path = issue.path.join('.')
  throw new HttpError(400, path ? `${path}: ${issue.message}` : issue.message)
}

export const tenantIdSchema = z.coerce
  .string()
  .regex(/^[1-9]\d{0,14}$/, 'tenant must be a tenant id (a positive whole number)')
  .transform(Number)
  .describe('The tenant whose connections these are')

export function requireUser(req: PayloadRequest): void {
  if (!req.user) throw new HttpError(401, 'Sign in first.')
}

/** True when the user belongs to `tenant` (or sees every tenant). */
export function isMember(req: PayloadRequest, tenant: Id): boolean {
  const tenants = connectorsConfigOf(req.payload).access.tenantsOf(req)
  return tenants === 'all' || tenants.some((t) => String(t) === String(tenant))
}

/**
 * The caller may change `tenant`'s connections: a tenant the user does not belong to answers 404 (as if
 * it did not exist), one where they are not an admin 403.
 */
export async function requireManager(req: PayloadRequest, tenant: Id, what = 'tenant'): Promise<void> {
  requireUser(req)
  if (!isMember(req, tenant)) throw new HttpError(404, `No ${what} ${tenant} for this user`)
  if (!(await connectorsConfigOf(req.payload).access.manage({ req, tenant })))
    throw new HttpError(403, 'Only the tenant’s admins can connect, test or disconnect its accounts.')
}
