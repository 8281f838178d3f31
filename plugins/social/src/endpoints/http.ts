/**
 * What the social endpoints share: ids, tenants and dates in requests. Refusals as JSON 4xx, the JSON body
 * and zod parsing are the connectors' endpoint plumbing (`SocialError` is its `HttpError`).
 */
import { handleEndpoint, parseInput, readJson } from '@bizosaas/plugin-connectors'
import type { PayloadRequest } from 'payload'
import { z } from 'zod'
import { SocialError } from '../errors.ts'

export { handleEndpoint as handle, parseInput as parse, readJson }

/** The query string as an object. */
export const queryOf = (req: PayloadRequest): Record<string, string> =>
  Object.fromEntries(new URL(req.url ?? 'http://localhost').searchParams)

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
