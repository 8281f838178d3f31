import { AbortError, sleep } from './abort.ts'
import type { ResolvedModel } from './providers/registry.ts'
import { type ModelRequest, type ModelResponse, ProviderError } from './providers/types.ts'

/** How failed model calls are retried. SDK retries are disabled so these are the only ones. */
export interface RetryPolicy {
  /** Retries per model after the first attempt. @default 2 */
  maxRetries: number
  /** First backoff; doubles each retry. @default 500 */
  baseDelayMs: number
  /** Cap of one backoff. @default 8000 */
  maxDelayMs: number
  /** Longest `retry-after` honoured; longer waits move on to the next model. @default 30000 */
  maxRetryAfterMs: number
  /** Random share of each delay (0..1) so many clients do not retry in lockstep. @default 0.25 */
  jitter: number
  /** Bound of one attempt; a slower call counts as a timeout. @default 60000 */
  requestTimeoutMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  jitter: 0.25,
  requestTimeoutMs: 60_000,
})

/** One attempt of a fallback chain. */
export interface AttemptRecord {
  model: ResolvedModel
  chainIndex: number
  /** 1-based attempt on this model. */
  attempt: number
  latencyMs: number
  response?: ModelResponse
  error?: ProviderError
}

/** Every model of a chain failed (or one failed with an error retrying cannot fix). */
export class FallbackError extends Error {
  override name = 'FallbackError'
  constructor(
    message: string,
    readonly attempts: AttemptRecord[],
    readonly last: ProviderError,
  ) {
    super(message, { cause: last })
  }
}

/** Backoff before retry number `retry` (1-based), honouring the server's `retry-after`. */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  const jittered = exponential * (1 - policy.jitter + policy.jitter * random())
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered
}

function toProviderError(error: unknown, model: ResolvedModel, timedOut: boolean): ProviderError {
  if (timedOut) {
    return new ProviderError({
      message: `Model call timed out`,
      kind: 'timeout',
      provider: model.provider.id,
      model: model.model,
      cause: error,
    })
  }
  if (error instanceof ProviderError) return error
  return new ProviderError({
    message: error instanceof Error ? error.message : String(error),
    kind: 'unknown',
    provider: model.provider.id,
    model: model.model,
    cause: error,
  })
}

/**
 * Calls each model of the chain in turn: retryable failures (429, 5xx, timeouts, connection errors,
 * malformed responses) are retried with exponential backoff and jitter, then the next model is tried.
 * Other failures (400, 401 …) stop at once with the provider's message.
 */
export async function generateWithFallback(
  chain: readonly ResolvedModel[],
  request: Omit<ModelRequest, 'model' | 'signal'>,
  options: {
    signal: AbortSignal
    retry?: Partial<RetryPolicy>
    /** Told about every attempt (success or failure) as it ends; awaited. */
    onAttempt?: (attempt: AttemptRecord) => void | Promise<void>
  },
): Promise<{ response: ModelResponse; model: ResolvedModel; attempts: AttemptRecord[] }> {
  const policy = options.retry ? { ...DEFAULT_RETRY_POLICY, ...options.retry } : DEFAULT_RETRY_POLICY
  const attempts: AttemptRecord[] = []
  let last: ProviderError | undefined
  for (const [chainIndex, model] of chain.entries()) {
    for (let attempt = 1; attempt <= policy.maxRetries + 1; attempt++) {
      if (options.signal.aborted) throw new AbortError(options.signal.reason)
      const controller = new AbortController()
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        controller.abort(new Error('model call timed out'))
      }, policy.requestTimeoutMs)
      const onAbort = () => controller.abort(options.signal.reason)
      options.signal.addEventListener('abort', onAbort, { once: true })
      const started = performance.now()
      let record: AttemptRecord
      try {
        const response = await model.provider.generate({ ...request, model: model.model, signal: controller.signal })
        record = { model, chainIndex, attempt, latencyMs: performance.now() - started, response }
      } catch (error) {
        if (options.signal.aborted) throw new AbortError(options.signal.reason)
        record = {
          model,
          chainIndex,
          attempt,
          latencyMs: performance.now() - started,
          error: toProviderError(error, model, timedOut),
        }
      } finally {
        clearTimeout(timer)
        options.signal.removeEventListener('abort', onAbort)
      }
      attempts.push(record)
      await options.onAttempt?.(record)
      if (record.response) return { response: record.response, model, attempts }
      const error = record.error as ProviderError
      last = error
      if (!error.retryable) {
        throw new FallbackError(`${model.id}: ${error.message}`, attempts, error)
      }
      if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) break
      if (attempt <= policy.maxRetries) {
        await sleep(backoffDelay(policy, attempt, error.retryAfterMs), options.signal)
      }
    }
  }
  const summary = attempts.map((a) => `${a.model.id}#${a.attempt}: ${a.error?.message}`).join('; ')
  throw new FallbackError(
    `All models failed after ${attempts.length} attempts (${summary})`,
    attempts,
    last ?? new ProviderError({ message: 'no model in chain', kind: 'unknown', provider: '', model: '' }),
  )
}
