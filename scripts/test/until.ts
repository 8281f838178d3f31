/**
 * Polls `check` until it gives a truthy value and returns that value. Once `timeoutMs` has passed it
 * checks one last time, then fails with an error that names `what` was awaited. For tests and their
 * harnesses: waiting on a worker, a queue or a server that gets there on its own time.
 */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
