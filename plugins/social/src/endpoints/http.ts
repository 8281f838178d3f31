/** What the social endpoints share: refusals as JSON 4xx, the JSON body, zod parsing, ids and dates. */
import { ConnectionError } from '@bizosaas/plugin-connectors'
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { SocialError } from '../errors.ts'

/** How a `ConnectionError` that reaches an endpoint answers. */
const CONNECTION_ERROR_STATUS: Record<ConnectionError['code'], number> = {
  'not-connected': 404,
  'needs-reconnect': 409,
  error: 422,
  unavailable: 503,
}

/** Wraps a handler: a `SocialError` becomes its JSON 4xx (with the issues); anything else is a 500. */
export const handle =
  (fn: (req: PayloadRequest) => Promise<Response>): Endpoint['handler'] =>
  async (req) => {
    try {
      return await fn(req)
    } catch (error) {
      if (error instanceof SocialError)
        return Response.json(
          { error: error.message, ...(error.issues ? { issues: error.issues } : {}) },
          { status: error.status },
        )
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
    throw new SocialError(400, 'The request body is not valid JSON.')
  }
}

/** The query string as an object. */
export const queryOf = (req: PayloadRequest): Record<string, string> =>
  Object.fromEntries(new URL(req.url ?? 'http://localhost').searchParams)

/** Parses `value` with `schema`; a 400 naming the first problem's field otherwise. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const path = issue.path.join('.')
  throw new SocialError(400, path ? `${path}: ${issue.message}` : issue.message)
}

export const idSchema = (what: string) =>
  z.coerce
    .string()
    .regex(/^[1-9]\d{0,14}$/, `${what} must be an id (a positive whole number)`)
    .transform(Number)

export const tenantSchema = idSchema('tenant').describe('The tenant acted in (a user may belong to several)')
export const dateSchema = z.iso.datetime({
  offset: true,
  message: 'use an ISO date and time, e.g. 2026-12-24T09:00:00Z',
})

/** The `:id` of the path, as an id (404 otherwise). */
export function routeId(req: PayloadRequest, what = 'social post'): number {
  const raw = String(req.routeParams?.id ?? '')
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw new SocialError(404, `No ${what} ${raw.slice(0, 40)}`)
  return Number(raw)
}
