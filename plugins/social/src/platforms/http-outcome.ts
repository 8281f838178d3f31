/**
 * What the HTTP platforms of this lane (LinkedIn, Facebook, Instagram) add to the shared failure
 * helpers (publish-errors.ts): `retry-after` with a per-platform fallback, and one mapping of a call
 * that threw instead of answering (timeout, dropped connection, a connection that needs reconnecting).
 */
import { PublishError } from './define.ts'
import {
  connectionErrorIn,
  DEFAULT_TIMEOUT_MS,
  fromConnectionError,
  retryAfterMsOf,
  timeoutSignal,
} from './publish-errors.ts'

/** How long one publish call may take before its outcome counts as unknown. */
export const DEFAULT_PUBLISH_TIMEOUT_MS = DEFAULT_TIMEOUT_MS

/** The caller's signal (a cancelled job) combined with a timeout for one call. */
export const callSignal = timeoutSignal

/** `retry-after` in ms (seconds or an HTTP date), else `fallbackMs` (the platform's own sane wait). */
export function retryAfterMs(headers: Headers, fallbackMs: number): number {
  return headers.has('retry-after') ? Math.max(1000, retryAfterMsOf(headers)) : fallbackMs
}

/**
 * A call that threw instead of answering. A connection whose token cannot be had reached nothing
 * (publish-errors' `fromConnectionError`); a timeout, reset or abort may have reached the platform:
 * unknown, settled by a lookup.
 */
export function thrownError(platformName: string, error: unknown, timeoutMs: number): PublishError {
  if (error instanceof PublishError) return error
  const connection = connectionErrorIn(error)
  if (connection) return fromConnectionError(connection, platformName)
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
