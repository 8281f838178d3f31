import { describe, expect, it } from 'vitest'
import { backoffDelay, DEFAULT_RETRY_POLICY, FallbackError, generateWithFallback } from './fallback.ts'
import { ProviderError, parseRetryAfter } from './providers/types.ts'

const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5 }

describe('fallback chains', () => {
  it('backs off exponentially with bounded jitter and honours retry-after', () => {
    expect(backoffDelay(policy, 1, undefined, () => 1)).toBe(100)
    expect(backoffDelay(policy, 1, undefined, () => 0)).toBe(50)
    expect(backoffDelay(policy, 3, undefined, () => 1)).toBe(400)
    expect(backoffDelay(policy, 10, undefined, () => 1)).toBe(1_000)
    expect(backoffDelay(policy, 1, 2_500, () => 1)).toBe(2_500)
  })

  it('reads retry-after in seconds, milliseconds and as a date', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2_000)
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150)
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString()
    expect(parseRetryAfter(new Headers({ 'retry-after': inFiveSeconds }))).toBeGreaterThan(3_000)
    expect(parseRetryAfter(new Headers())).toBeUndefined()
  })

  it('moves on to the next model when retry-after is longer than allowed, without waiting', async () => {
    const calls: string[] = []
    const provider = (id: string, fail: boolean) => ({
      id,
      async generate() {
        calls.push(id)
        if (fail) {
          throw new ProviderError({
            message: 'slow down',
            kind: 'rate-limit',
            status: 429,
            retryAfterMs: 60_000,
            provider: id,
            model: 'm',
          })
        }
        return {
          text: 'ok',
          toolCalls: [],
          usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
          finishReason: 'stop' as const,
          model: 'm',
        }
      },
    })
    const started = Date.now()
    const { response, model } = await generateWithFallback(
      [
        { id: 'a:m', provider: provider('a', true), model: 'm' },
        { id: 'b:m', provider: provider('b', false), model: 'm' },
      ],
      { messages: [] },
      { signal: new AbortController().signal, retry: { maxRetryAfterMs: 1_000 } },
    )
    expect(response.text).toBe('ok')
    expect(model.id).toBe('b:m')
    expect(calls).toEqual(['a', 'b'])
    expect(Date.now() - started).toBeLessThan(500)
  })

  it('does not retry errors that cannot improve', async () => {
    let calls = 0
    const bad = {
      id: 'x',
      async generate(): Promise<never> {
        calls += 1
        throw new ProviderError({
          message: 'model not found',
          kind: 'invalid-request',
          status: 404,
          provider: 'x',
          model: 'm',
        })
      },
    }
    const error = await generateWithFallback(
      [{ id: 'x:m', provider: bad, model: 'm' }],
      { messages: [] },
      {
        signal: new AbortController().signal,
      },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FallbackError)
    expect((error as FallbackError).message).toBe('x:m: model not found')
    expect(calls).toBe(1)
  })
})
