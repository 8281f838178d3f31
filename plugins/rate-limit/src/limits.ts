/**
 * A named limit over a store: `consume(key)` spends a point and answers a refusal — the wait in
 * seconds and a sentence a person can act on — once the key has spent its points in the window.
 */
import { createHash } from 'node:crypto'
import { RateLimiterRes } from 'rate-limiter-flexible'
import type { LimitSetting } from './settings.ts'
import type { RateLimitStore } from './store.ts'

export interface LimitDefinition extends LimitSetting {
  /** The counters' key prefix, e.g. `sign-in-email`. */
  name: string
  /** The refusal, given the wait in words: `(wait) => \`Too many …; try again in ${wait}.\`` */
  message: (wait: string) => string
}

/** Over the limit: answer 429 with `Retry-After: retryAfterSeconds` and `message`. */
export interface Refusal {
  limit: string
  retryAfterSeconds: number
  message: string
}

export interface RateLimit {
  readonly name: string
  /** Spends `points` (default 1) of `key`; a refusal once the key is over its limit, else null. */
  consume(key: string, points?: number): Promise<Refusal | null>
  /** Gives points back (e.g. an attempt that turned out not to be a failure). */
  reward(key: string, points?: number): Promise<void>
  /** Forgets the key's count (e.g. a successful sign-in resets the failures of its email). */
  reset(key: string): Promise<void>
}

/** A limit on `store`; with no store (rate limits off) it never refuses. */
export function createRateLimit(store: RateLimitStore | null, definition: LimitDefinition): RateLimit {
  const { name } = definition
  if (!store)
    return {
      name,
      consume: async () => null,
      reward: async () => {},
      reset: async () => {},
    }
  const limiter = store.limiter({ keyPrefix: name, points: definition.points, duration: definition.durationSeconds })
  return {
    name,
    async consume(key, points = 1) {
      try {
        await limiter.consume(storeKey(key), points)
        return null
      } catch (rejection) {
        // rate-limiter-flexible rejects with its result when over the limit, with an Error on failure.
        if (!(rejection instanceof RateLimiterRes)) throw rejection
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
        return { limit: name, retryAfterSeconds, message: definition.message(waitText(retryAfterSeconds)) }
      }
    },
    async reward(key, points = 1) {
      await limiter.reward(storeKey(key), points)
    },
    async reset(key) {
      await limiter.delete(storeKey(key))
    },
  }
}

/** Keys fit the table's varchar(255) whatever the caller passes: long ones are hashed. */
function storeKey(key: string): string {
  return key.length <= 160 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`
}

/** 45 → "45 seconds", 240 → "4 minutes", 7300 → "3 hours" (rounded up, so waiting that long is enough). */
export function waitText(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second')
  if (seconds < 2 * 3600) return plural(Math.ceil(seconds / 60), 'minute')
  return plural(Math.ceil(seconds / 3600), 'hour')
}

/** The HTTP answer of a refusal for route handlers: 429, `Retry-After`, `{ error, retryAfterSeconds }`. */
export function refusalResponse(refusal: Refusal): Response {
  return Response.json(
    { error: refusal.message, retryAfterSeconds: refusal.retryAfterSeconds },
    { status: 429, headers: { 'retry-after': String(refusal.retryAfterSeconds) } },
  )
}

/** The refusal that makes the caller wait longest (several limits refused one request). */
export function longestRefusal(...refusals: (Refusal | null)[]): Refusal | null {
  return refusals.reduce<Refusal | null>(
    (longest, r) => (r && (!longest || r.retryAfterSeconds > longest.retryAfterSeconds) ? r : longest),
    null,
  )
}
