/**
 * The storefront's rate limits (settings in lib/env.ts): customer log-in per email and per IP, account
 * changes and cart changes per IP, and POST /api/revalidate per IP. Counters live in Redis (REDIS_URL),
 * else in PostgreSQL (RATE_LIMIT_DATABASE_URL: the CMS's `rate_limits` table), else in this process.
 * Per-IP limits need the client's address, which is trusted only through TRUSTED_PROXY_COUNT proxies.
 */
import {
  clientIp,
  createRateLimit,
  openRateLimitStore,
  type RateLimit,
  type Refusal,
} from '@bizosaas/plugin-rate-limit/core'
import { headers } from 'next/headers'
import { storefrontEnv } from './env'

export interface StorefrontLimits {
  signInEmail: RateLimit
  signInIp: RateLimit
  account: RateLimit
  cart: RateLimit
  revalidate: RateLimit
}

let limits: StorefrontLimits | undefined

/** The limits, built once per process from the settings. */
export function storefrontLimits(): StorefrontLimits {
  if (limits) return limits
  const env = storefrontEnv()
  const store =
    env.RATE_LIMITS === 'on'
      ? openRateLimitStore({ redisUrl: env.REDIS_URL, databaseUrl: env.RATE_LIMIT_DATABASE_URL })
      : null
  limits = {
    signInEmail: createRateLimit(store, {
      name: 'shop-sign-in-email',
      ...env.RATE_LIMIT_SIGN_IN_EMAIL,
      message: (wait) => `Too many log-in attempts for this email; try again in ${wait}.`,
    }),
    signInIp: createRateLimit(store, {
      name: 'shop-sign-in-ip',
      ...env.RATE_LIMIT_SIGN_IN_IP,
      message: (wait) => `Too many log-in attempts from your network; try again in ${wait}.`,
    }),
    account: createRateLimit(store, {
      name: 'shop-account',
      ...env.RATE_LIMIT_ACCOUNT,
      message: (wait) => `Too many account changes from your network; try again in ${wait}.`,
    }),
    cart: createRateLimit(store, {
      name: 'shop-cart',
      ...env.RATE_LIMIT_CART,
      message: (wait) => `Too many cart changes in a short time; try again in ${wait}.`,
    }),
    revalidate: createRateLimit(store, {
      name: 'shop-revalidate',
      ...env.RATE_LIMIT_REVALIDATE,
      message: (wait) => `Too many revalidation requests; try again in ${wait}.`,
    }),
  }
  return limits
}

/** The shopper's address (undefined when no proxy is trusted: per-IP limits are then off). */
export async function shopperIp(source?: Pick<Headers, 'get'>): Promise<string | undefined> {
  return clientIp(source ?? (await headers()), storefrontEnv().TRUSTED_PROXY_COUNT)
}

/** Spends a point of a per-IP limit for this request's shopper; the refusal, if over it. */
export async function consumePerIp(limit: RateLimit, source?: Pick<Headers, 'get'>): Promise<Refusal | null> {
  const ip = await shopperIp(source)
  return ip ? limit.consume(ip) : null
}
