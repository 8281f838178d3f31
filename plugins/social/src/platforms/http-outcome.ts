/**
 * What the HTTP platforms (LinkedIn, Facebook, Instagram) share when a call fails before an answer: the
 * publish timeout, `retry-after` parsing, and turning a thrown error (timeout, dropped connection, a
 * connection that needs reconnecting) into a `PublishError` the publisher acts on.
 */
import { ConnectionError } from '@bizosaas/plugin-connectors/define'
import { PublishError } from './define.ts'

/** How long one publish call may take before its outcome counts as unknown. */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 15_000

/** The caller's signal (a cancelled job) combined with a timeout for one call. */
export function callSignal(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}

/** `retry-after` in ms (seconds or an HTTP date), else `fallbackMs`. */
export function retryAfterMs(headers: Headers, fallbackMs: number): number {
  const value = headers.get('retry-after')
  if (!value) return fallbackMs
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1000, seconds * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? fallbackMs : Math.max(1000, at - Date.now())
}

/**
 * A call that threw instead of answering. A refused grant needs a person; anything else (timeout, reset,
 * DNS, the token service down) may have reached the platform: unknown, settled by a lookup.
 */
export function thrownError(platformName: string, error: unknown, timeoutMs: number): PublishError {
  if (error instanceof PublishError) return error
  if (error instanceof ConnectionError) {
    if (error.code === 'needs-reconnect' || error.code === 'not-connected' || error.code === 'error')
      return new PublishError('needs-reconnect', `${platformName} needs to be connected again: ${error.message}`)
    return new PublishError('unknown', `${platformName} could not be reached (${error.message})`)
  }
  const name = (error as { name?: string } | undefined)?.name
  if (name === 'TimeoutError')
    return new PublishError(
      'unknown',
      `${platformName} did not answer within ${Math.round(timeoutMs / 1000)} s; the post may or may not have been made`,
    )
  if (name === 'AbortError')
    return new PublishError(
      'unknown',
      `The call to ${platformName} was cancelled; the post may or may not have been made`,
    )
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause
  const detail = cause?.code ?? cause?.message ?? (error as Error | undefined)?.message ?? String(error)
  return new PublishError(
    'unknown',
    `The connection to ${platformName} failed (${detail}); the post may or may not have been made`,
  )
}
