/**
 * Where counters live: PostgreSQL (the `rate_limits` table the CMS migration makes), Redis when
 * REDIS_URL is set, or process memory where neither is configured. Each store builds
 * rate-limiter-flexible limiters; each store limiter has an in-memory insurance limiter with the same
 * limit, so a store outage degrades to per-process limits instead of refusing or allowing everything.
 */
import { Redis } from 'ioredis'
import pg from 'pg'
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
} from 'rate-limiter-flexible'
import { RATE_LIMITS_TABLE } from './sql.ts'

export interface LimiterOptions {
  /** Key prefix: the limit's name. */
  keyPrefix: string
  points: number
  /** Window in seconds. */
  duration: number
}

export interface RateLimitStore {
  readonly kind: 'postgres' | 'redis' | 'memory'
  limiter(options: LimiterOptions): RateLimiterAbstract
  /** Closes what the store opened itself (never a pool it was given). */
  close(): Promise<void>
}

/** A pg Pool as rate-limiter-flexible uses it. */
export interface PgPoolLike {
  query: (...args: never[]) => unknown
}

/** Counters in PostgreSQL, through `pool` (e.g. Payload's own). */
export function postgresStore(pool: PgPoolLike, options: { table?: string; onClose?: () => Promise<void> } = {}) {
  let cleaning = false
  return {
    kind: 'postgres',
    limiter: ({ keyPrefix, points, duration }) => {
      // One limiter per store deletes expired rows (every 5 minutes, rows expired an hour ago).
      const clearExpiredByTimeout = !cleaning
      cleaning = true
      return new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: options.table ?? RATE_LIMITS_TABLE,
        tableCreated: true,
        clearExpiredByTimeout,
        keyPrefix,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
      })
    },
    close: async () => {
      await options.onClose?.()
    },
  } satisfies RateLimitStore as RateLimitStore
}

/** Counters in Redis (ioredis, the client Medusa's Redis modules already use). */
export function redisStore(url: string): RateLimitStore {
  // No offline queue: while Redis is unreachable, commands fail at once and the insurance limiter answers.
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
  client.on('error', () => {
    // Reconnects by itself; the insurance limiter covers the gap.
  })
  return {
    kind: 'redis',
    limiter: ({ keyPrefix, points, duration }) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `bizosaas:${keyPrefix}`,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
      }),
    close: async () => {
      client.disconnect()
    },
  }
}

/** Counters in this process only: right for one process (dev), per-process with several. */
export function memoryStore(): RateLimitStore {
  return {
    kind: 'memory',
    limiter: ({ keyPrefix, points, duration }) => new RateLimiterMemory({ keyPrefix, points, duration }),
    close: async () => {},
  }
}

/**
 * The store the settings name: Redis when `redisUrl` is set, else PostgreSQL (`pool`, or a small pool of
 * its own on `databaseUrl`), else memory.
 */
export function openRateLimitStore(settings: {
  redisUrl?: string
  pool?: PgPoolLike
  databaseUrl?: string
}): RateLimitStore {
  if (settings.redisUrl) return redisStore(settings.redisUrl)
  if (settings.pool) return postgresStore(settings.pool)
  if (settings.databaseUrl) {
    const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 4, idleTimeoutMillis: 10_000 })
    pool.on('error', () => {
      // An idle client lost its connection; the pool makes a new one on the next query.
    })
    return postgresStore(pool, { onClose: () => pool.end() })
  }
  return memoryStore()
}
