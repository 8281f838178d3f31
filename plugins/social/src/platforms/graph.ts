/**
 * What the Facebook and Instagram platforms share over the Graph API: reading a Graph error into a
 * `PublishError` (refused, throttled, token gone, Meta's own failure), and finding a Page's access token
 * at the moment it is needed (never stored).
 */
import type { FacebookClient, GraphResponse } from '../connectors/facebook.ts'
import { graphErrorOf } from '../connectors/facebook.ts'
import { PublishError } from './define.ts'
import { retryAfterMs } from './http-outcome.ts'

/**
 * Graph's throttling codes: 4 (app), 17 (user), 32 (Page), 613 (calls within a window), 80001 (Page
 * business-use-case), 80002 (Instagram business-use-case).
 */
export const GRAPH_RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002])
/** 190: the token is invalid or expired; 102: the session is gone. A person must log in again. */
const GRAPH_TOKEN_CODES = new Set([102, 190])
/** Meta does not say when a throttle lifts unless in its usage header; its windows are rolling hours. */
const RATE_LIMIT_FALLBACK_MS = 15 * 60_000

/** Minutes until access returns, from `x-business-use-case-usage` (`{ <id>: [{ estimated_time_to_regain_access }] }`). */
function regainAccessMs(headers: Headers): number | undefined {
  const raw = headers.get('x-business-use-case-usage')
  if (!raw) return undefined
  try {
    const usage = JSON.parse(raw) as Record<string, { estimated_time_to_regain_access?: number }[]>
    const minutes = Object.values(usage)
      .flat()
      .map((u) => u.estimated_time_to_regain_access ?? 0)
    const most = Math.max(0, ...minutes)
    return most > 0 ? most * 60_000 : undefined
  } catch {
    return undefined
  }
}

/** Why a Graph answer is not a success. `action` is "the post" for publishing, else what was asked for. */
export function graphFailure(platformName: string, res: GraphResponse, action: string): PublishError {
  const error = graphErrorOf(res.body)
  const options = { status: res.status, platformCode: error?.code !== undefined ? String(error.code) : undefined }
  // Graph's own sentence for people when it gives one, else its developer message.
  const said = error?.error_user_msg ?? error?.message ?? `HTTP ${res.status}`
  if (res.status === 401 || (error?.code !== undefined && GRAPH_TOKEN_CODES.has(error.code)))
    return new PublishError(
      'needs-reconnect',
      `${platformName} no longer accepts the connection's login (${said}); connect Facebook again`,
      options,
    )
  if (res.status === 429 || (error?.code !== undefined && GRAPH_RATE_LIMIT_CODES.has(error.code)))
    return new PublishError('rate-limited', `${platformName} asked to slow down for ${action} (${said})`, {
      ...options,
      retryAfterMs: regainAccessMs(res.headers) ?? retryAfterMs(res.headers, RATE_LIMIT_FALLBACK_MS),
    })
  if (res.status >= 500 || error?.is_transient || error?.code === 1 || error?.code === 2)
    return new PublishError(
      'unknown',
      `${platformName} answered with a temporary error for ${action} (${said}); it may or may not have been made`,
      options,
    )
  return new PublishError(
    'rejected',
    action === 'the post'
      ? `${platformName} refused the post: ${said}`
      : `${platformName} refused the request for ${action}: ${said}`,
    options,
  )
}

export const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
export const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
export const str = (value: unknown) => (typeof value === 'string' && value ? value : undefined)
export const dataOf = (body: unknown) => {
  const data = record(body).data
  return Array.isArray(data) ? data.map(record) : []
}

/** One metric of an insights answer (`{ data: [{ name, values: [{ value }] | total_value: { value } }] }`). */
export function insightValue(body: unknown, name: string): number | undefined {
  const metric = dataOf(body).find((m) => m.name === name)
  if (!metric) return undefined
  const values = Array.isArray(metric.values) ? metric.values.map(record) : []
  return num(values.at(-1)?.value) ?? num(record(metric.total_value).value)
}

/** Every page of a Graph list (`data` + `paging.next` cursors), up to `limit` items. */
export async function graphList(
  client: FacebookClient,
  path: string,
  init: Parameters<FacebookClient['request']>[1] & { platformName: string; action: string },
  limit = 500,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = []
  let after: string | undefined
  do {
    const res = await client.request(path, { ...init, params: { ...init.params, after } })
    if (!res.ok) throw graphFailure(init.platformName, res, init.action)
    items.push(...dataOf(res.body))
    after = str(record(record(record(res.body).paging).cursors).after)
    if (!str(record(record(res.body).paging).next)) after = undefined
  } while (after && items.length < limit)
  return items
}

/**
 * The Page's access token, asked for now (`/me/accounts`): a Page token is a credential as strong as the
 * person's, so it is never stored; a Page the person no longer manages is a rejection.
 */
export async function pageToken(
  client: FacebookClient,
  pageId: string,
  platformName: string,
  signal?: AbortSignal,
): Promise<string> {
  const pages = await graphList(client, '/me/accounts', {
    params: { fields: 'id,access_token' },
    signal,
    platformName,
    action: 'the Pages you manage',
  })
  const token = str(pages.find((page) => page.id === pageId)?.access_token)
  if (!token)
    throw new PublishError(
      'rejected',
      `${platformName} refused the post: the connected account no longer manages the Page ${pageId}`,
    )
  return token
}
