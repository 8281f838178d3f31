/** Error thrown when a wait is cut short by an AbortSignal; carries the signal's reason. */
export class AbortError extends Error {
  override name = 'AbortError'
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'Aborted')
  }
}

/** Throws `AbortError` if the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(signal.reason)
}

/** Waits `ms`, or rejects with `AbortError` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError(signal.reason))
    const onAbort = () => {
      clearTimeout(timer)
      reject(new AbortError(signal?.reason))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Resolves with the promise, or rejects with `AbortError` when the signal aborts first (the work is abandoned). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortError(signal.reason))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError(signal.reason))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
