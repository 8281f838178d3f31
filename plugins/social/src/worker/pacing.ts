/**
 * Pacing of publish calls, as each platform's `pacing` asks: points per account per window across every
 * worker process (rate-limiter-flexible on the CMS's `rate_limits` table, like the sign-in limits), and
 * calls in flight per platform within this process (a semaphore). A variant over its account's limit
 * waits — its job is deferred — and is never failed for it.
 */
import { postgresStore, type RateLimitStore } from '@bizosaas/plugin-rate-limit/core'
import type { Payload } from 'payload'
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible'
import type { AnySocialPlatform } from '../platforms/define.ts'
import { poolOf } from './queue.ts'

/** A counting semaphore: `acquire` resolves when a slot is free; FIFO. */
export class Semaphore {
  #free: number
  #waiting: (() => void)[] = []
  constructor(size: number) {
    this.#free = Math.max(1, size)
  }
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free -= 1
    else await new Promise<void>((resolve) => this.#waiting.push(resolve))
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#waiting.shift()
      if (next) next()
      else this.#free += 1
    }
  }
}

export interface Pacer {
  /** Takes one publish call of `account` on `platform`: 0 when allowed, else ms until the next is. */
  take(platform: AnySocialPlatform, account: number | string): Promise<number>
  /** A slot for one call to `platform` in this process. */
  slot(platform: AnySocialPlatform): Promise<() => void>
}

/** The pacer of one worker process (limiters share the database; semaphores are per process). */
export function createPacer(payload: Payload, store: RateLimitStore = postgresStore(poolOf(payload))): Pacer {
  const limiters = new Map<string, RateLimiterAbstract>()
  const semaphores = new Map<string, Semaphore>()
  const limiterOf = (platform: AnySocialPlatform) => {
    const { points, windowSeconds } = platform.pacing.perAccount
    const key = `social-publish:${platform.id}:${points}/${windowSeconds}`
    let limiter = limiters.get(key)
    if (!limiter) {
      limiter = store.limiter({ keyPrefix: key, points, duration: windowSeconds })
      limiters.set(key, limiter)
    }
    return limiter
  }
  return {
    async take(platform, account) {
      try {
        await limiterOf(platform).consume(String(account), 1)
        return 0
      } catch (error) {
        if (error instanceof Error) throw error
        return Math.max(50, (error as RateLimiterRes).msBeforeNext)
      }
    },
    slot(platform) {
      let semaphore = semaphores.get(platform.id)
      if (!semaphore) {
        semaphore = new Semaphore(platform.pacing.concurrency)
        semaphores.set(platform.id, semaphore)
      }
      return semaphore.acquire()
    },
  }
}
