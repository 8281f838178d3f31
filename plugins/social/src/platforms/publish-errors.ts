/**
 * What X, Bluesky and Mastodon share when a call fails: the per-request timeout, `retry-after` read the
 * ways platforms send it, and the mapping of a failed call onto `PublishError` — 4xx → rejected with the
 * platform's own words, 429 → rate-limited, a refused grant → needs-reconnect, anything that may have
 * reached the platform (timeout, 5xx, dropped connection) → unknown.
 */
import { ConnectionError } from '@bizosaas/plugin-connectors/define'
import { PublishError } from './define.ts'

/** How long one request to a platform may take before its outcome is unknown. */
export const DEFAULT_TIMEOUT_MS = 15_000

/** When a platform says "slow down" without saying how long: a minute. */
export const DEFAULT_RETRY_AFTER_MS = 60_000

/** A signal aborted by the caller's signal or after `timeoutMs`, whichever comes first. */
export function timeoutSignal(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}

/**
 * Milliseconds to wait, from `retry-after` (seconds or an HTTP date), X's `x-rate-limit-reset` (epoch
 * seconds) or Mastodon's `x-ratelimit-reset` (an ISO date); `DEFAULT_RETRY_AFTER_MS` when none is sent.
 */
export function retryAfterMsOf(headers: Headers | Record<string, unknown> | undefined, now = Date.now()): number {
  const get = (name: string): string | undefined => {
    if (!headers) return undefined
    if (headers instanceof Headers) return headers.get(name) ?? undefined
    const value = headers[name] ?? headers[name.toLowerCase()]
    return value === undefined || value === null ? undefined : String(Array.isArray(value) ? value[0] : value)
  }
  const retryAfter = get('retry-after')
  if (retryAfter) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
    const at = Date.parse(retryAfter)
    if (Number.isFinite(at)) return Math.max(0, at - now)
  }
  const reset = get('x-rate-limit-reset') ?? get('x-ratelimit-reset')
  if (reset) {
    const epoch = Number(reset)
    const at = Number.isFinite(epoch) ? epoch * 1000 : Date.parse(reset)
    if (Number.isFinite(at)) return Math.max(0, at - now)
  }
  return DEFAULT_RETRY_AFTER_MS
}

/** True for an aborted or timed-out request and for network failures (the request may have arrived). */
export function isTransportFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const name = (e as { name?: string }).name
    const code = (e as { code?: string }).code
    if (name === 'TimeoutError' || name === 'AbortError' || name === 'MastoTimeoutError') return true
    if (typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_\w+)$/.test(code)) return true
    if (e instanceof TypeError && /fetch failed|terminated|network/i.test(e.message)) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

export function connectionErrorIn(error: unknown): ConnectionError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof ConnectionError) return e
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * A failure of the connection itself (its token could not be had): nothing reached the platform.
 * `needs-reconnect`/`error`/`not-connected` need a person; `unavailable` (the sign-in service is down)
 * is retried later like a rate limit, since nothing was posted.
 */
export function fromConnectionError(error: ConnectionError, platform: string): PublishError {
  if (error.code === 'unavailable')
    return new PublishError(
      'rate-limited',
      `${platform} could not be reached to renew the connection's sign-in (${error.message}); nothing was posted, it will be tried again`,
      { retryAfterMs: DEFAULT_RETRY_AFTER_MS },
    )
  return new PublishError('needs-reconnect', `${platform} needs the account connected again: ${error.message}`)
}

/** The failure as it was seen: an HTTP status with the platform's words, or nothing (no answer). */
export interface HttpFailure {
  status?: number
  /** The platform's own sentence, when it gave one. */
  said?: string
  headers?: Headers | Record<string, unknown>
  /** A code the platform gave (`DuplicateStatus`, `RecordAlreadyExists` …). */
  platformCode?: string
}

/**
 * Maps one failed call onto a `PublishError`. `action` is what was being done ("refused the post",
 * "refused the image"), `platform` its name as people know it.
 */
export function publishErrorOf(failure: HttpFailure, platform: string, action = 'refused the post'): PublishError {
  const { status, said, platformCode } = failure
  const words = said?.trim() ? said.trim().slice(0, 300) : status ? `HTTP ${status}` : 'no answer'
  if (status === 429)
    return new PublishError(
      'rate-limited',
      `${platform} is limiting how fast this account may post (${words}); nothing was posted, it will be tried again`,
      { status, retryAfterMs: retryAfterMsOf(failure.headers), platformCode },
    )
  if (status === 401)
    return new PublishError(
      'needs-reconnect',
      `${platform} refused the account's sign-in even after renewing it (${words}); connect the account again`,
      { status, platformCode },
    )
  if (status !== undefined && status >= 400 && status < 500 && status !== 408)
    return new PublishError('rejected', `${platform} ${action}: ${words}`, { status, platformCode })
  return new PublishError(
    'unknown',
    status
      ? `${platform} failed while posting (HTTP ${status}: ${words}); the post may or may not be up — check the account before posting again`
      : `${platform} did not answer in time; the post may or may not be up — check the account before posting again`,
    { status, platformCode },
  )
}

/**
 * A failure before any part was posted (a media upload): an unknown outcome there cannot have posted
 * anything, so it is retried later instead of waiting for a person.
 */
export function beforePosting(error: PublishError, platform: string): PublishError {
  if (error.kind !== 'unknown') return error
  return new PublishError(
    'rate-limited',
    `${platform} did not take the attachments (${error.message}); nothing was posted, it will be tried again`,
    { ...error.options, retryAfterMs: error.options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS },
  )
}

/** A thread that stopped part-way: some parts are up, so it is never "nothing was posted". */
export function partialThreadError(platform: string, posted: number, cause: PublishError): PublishError {
  return new PublishError(
    'unknown',
    `${platform} published ${posted} part${posted === 1 ? '' : 's'} of the thread, then: ${cause.message}`,
    { ...cause.options },
  )
}

/** Text as people compare it: line endings and runs of spaces folded, ends trimmed. */
export const sameText = (a: string, b: string) => normalizeText(a) === normalizeText(b)
export const normalizeText = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim()
