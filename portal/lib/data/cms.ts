/** The one place the portal talks to Payload's REST API, always with the signed-in user's JWT. */

import { REQUEST_ID_HEADER, requestIdOf } from '@bizosaas/observability/request-id'
import { clientIp } from '@bizosaas/plugin-rate-limit/client-ip'
import { portalEnv } from '@lib/env'
import { headers as requestHeaders } from 'next/headers'

export interface CmsResponse<T> {
  status: number
  ok: boolean
  body: T
}

/** A refusal or failure from the CMS, with the message a person can act on. */
export function cmsErrorMessage(body: unknown, fallback = 'The CMS refused the request'): string {
  const b = body as {
    error?: string
    message?: string
    errors?: { message?: string; data?: { errors?: { path: string; message: string }[] } }[]
  }
  const fields = b?.errors?.[0]?.data?.errors
  if (fields?.length) return fields.map((f) => `${f.path}: ${f.message}`).join('; ')
  return b?.error ?? b?.errors?.[0]?.message ?? b?.message ?? fallback
}

export async function cmsFetch<T = Record<string, unknown>>(
  path: string,
  options: { token?: string; method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<CmsResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.token) headers.authorization = `JWT ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  // The CMS is behind the portal here: it counts sign-in and forgot-password per the user's address.
  const forwarded = await userAddress()
  if (forwarded) headers['x-forwarded-for'] = forwarded
  // The request id the proxy gave this request: the CMS logs it, and agent runs started here keep it.
  const requestId = await currentRequestId()
  if (requestId) headers[REQUEST_ID_HEADER] = requestId
  let res: Response
  try {
    res = await fetch(`${portalEnv().CMS_URL}/api${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      signal: options.signal,
    })
  } catch {
    // The CMS is down or unreachable: a refusal the pages and actions already explain, not a crash.
    return {
      status: 503,
      ok: false,
      body: { error: 'The CMS cannot be reached right now; try again in a moment.' } as T,
    }
  }
  const text = await res.text()
  let body: unknown = {}
  try {
    body = text ? JSON.parse(text) : {}
  } catch {
    body = { error: text.slice(0, 200) }
  }
  return { status: res.status, ok: res.ok, body: body as T }
}

/** The signed-in user's address (TRUSTED_PROXY_COUNT), when known and when called within a request. */
async function userAddress(): Promise<string | undefined> {
  let incoming: Headers
  try {
    incoming = await requestHeaders()
  } catch {
    return undefined // Outside a request (scripts, tests of the data functions): nobody to forward.
  }
  return clientIp(incoming, portalEnv().TRUSTED_PROXY_COUNT)
}

/** The `x-request-id` proxy.ts set on this request; undefined outside a request. */
async function currentRequestId(): Promise<string | undefined> {
  try {
    return requestIdOf(await requestHeaders())
  } catch {
    return undefined
  }
}

/** `where[a][equals]=b&…` from nested objects, the query-string form Payload's REST API reads. */
export function whereQuery(where: Record<string, Record<string, string | number | undefined>>): string {
  const parts: string[] = []
  for (const [field, ops] of Object.entries(where))
    for (const [op, value] of Object.entries(ops))
      if (value !== undefined && value !== '')
        parts.push(`where[${encodeURIComponent(field)}][${op}]=${encodeURIComponent(String(value))}`)
  return parts.join('&')
}

/**
 * `select[a]=true&select[b][c]=true` from field paths (`'b.c'`): Payload then reads and returns only
 * those fields (and `id`), so lists carry no more than the page shows.
 */
export function selectQuery(paths: readonly string[]): string {
  return paths
    .map(
      (p) =>
        `select${p
          .split('.')
          .map((part) => `[${encodeURIComponent(part)}]`)
          .join('')}=true`,
    )
    .join('&')
}
