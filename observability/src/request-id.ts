/**
 * The request id (`x-request-id`) that follows a request from the storefront or portal through the CMS
 * and Medusa into pg-boss jobs: the front ends' proxy.ts makes one when a request comes without, every
 * service logs it as `reqId`, and a job started by the request keeps it as `requestId`.
 */
import { randomUUID } from 'node:crypto'

export const REQUEST_ID_HEADER = 'x-request-id'

/** What a request id from outside may look like: short and plain, so it is safe in logs and headers. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

interface HeaderSource {
  get(name: string): string | null
}

/** The request's own id when it has a usable one, else undefined. */
export function requestIdOf(headers: HeaderSource | Record<string, string | string[] | undefined>): string | undefined {
  const raw =
    typeof (headers as HeaderSource).get === 'function'
      ? (headers as HeaderSource).get(REQUEST_ID_HEADER)
      : (headers as Record<string, string | string[] | undefined>)[REQUEST_ID_HEADER]
  const value = Array.isArray(raw) ? raw[0] : raw
  return isRequestId(value) ? value : undefined
}

/** True when `value` is usable as a request id. */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value)
}

/** A fresh request id. */
export function newRequestId(): string {
  return randomUUID()
}

/** The request's id, or a fresh one when it has none (or an unusable one). */
export function ensureRequestId(headers: HeaderSource | Record<string, string | string[] | undefined>): string {
  return requestIdOf(headers) ?? newRequestId()
}
