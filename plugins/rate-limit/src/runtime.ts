/**
 * The limits of one Payload instance, built on first use: the store (Payload's own pg pool, or Redis)
 * exists only once Payload is initialised, and every endpoint and hook of the instance shares it.
 */
import type { Payload } from 'payload'
import type { ResolvedRateLimitConfig } from './defaults.ts'
import { createRateLimit, type RateLimit, type Refusal } from './limits.ts'
import { openRateLimitStore, type PgPoolLike, type RateLimitStore } from './store.ts'

const CONFIG_KEY = 'bizosaasRateLimitConfig'

export interface PayloadRateLimits {
  config: ResolvedRateLimitConfig
  store: RateLimitStore | null
  signInEmail: RateLimit
  signInIp: RateLimit
  forgotPasswordEmail: RateLimit
  forgotPasswordIp: RateLimit
  named: Map<string, RateLimit>
}

/** Messages of the built-in limits; `wait` is e.g. "4 minutes". */
export const MESSAGES = {
  signInEmail: (wait: string) => `Too many sign-in attempts for this email; try again in ${wait}.`,
  signInIp: (wait: string) => `Too many sign-in attempts from your network; try again in ${wait}.`,
  forgotPasswordEmail: (wait: string) =>
    `Too many password reset requests for this email; use the link in the last email we sent, or try again in ${wait}.`,
  forgotPasswordIp: (wait: string) => `Too many password reset requests from your network; try again in ${wait}.`,
}

export function storeConfig(custom: Record<string, unknown>, config: ResolvedRateLimitConfig): void {
  custom[CONFIG_KEY] = config
}

export function rateLimitConfigOf(payload: Pick<Payload, 'config'>): ResolvedRateLimitConfig {
  const config = payload.config.custom?.[CONFIG_KEY] as ResolvedRateLimitConfig | undefined
  if (!config) throw new Error('@bizosaas/plugin-rate-limit is not installed in this Payload config')
  return config
}

const built = new WeakMap<object, PayloadRateLimits>()

/** The limits of `payload` (built once per instance). */
export function rateLimitsOf(payload: Payload): PayloadRateLimits {
  const existing = built.get(payload)
  if (existing) return existing
  const config = rateLimitConfigOf(payload)
  const pool = (payload.db as unknown as { pool?: PgPoolLike }).pool
  const store = config.enabled ? openRateLimitStore({ redisUrl: config.redisUrl, pool }) : null
  const limits: PayloadRateLimits = {
    config,
    store,
    signInEmail: createRateLimit(store, {
      name: 'sign-in-email',
      ...config.signIn.perEmail,
      message: MESSAGES.signInEmail,
    }),
    signInIp: createRateLimit(store, { name: 'sign-in-ip', ...config.signIn.perIp, message: MESSAGES.signInIp }),
    forgotPasswordEmail: createRateLimit(store, {
      name: 'forgot-password-email',
      ...config.forgotPassword.perEmail,
      message: MESSAGES.forgotPasswordEmail,
    }),
    forgotPasswordIp: createRateLimit(store, {
      name: 'forgot-password-ip',
      ...config.forgotPassword.perIp,
      message: MESSAGES.forgotPasswordIp,
    }),
    named: new Map(
      Object.entries(config.limits).map(([name, limit]) => [name, createRateLimit(store, { name, ...limit })]),
    ),
  }
  built.set(payload, limits)
  return limits
}

/**
 * Spends a point of the named limit (`limits` option) for `key`; a refusal when over it, null otherwise
 * (always null when the plugin is disabled).
 */
export async function consumeRateLimit(payload: Payload, name: string, key: string): Promise<Refusal | null> {
  const limit = rateLimitsOf(payload).named.get(name)
  if (!limit)
    throw new Error(`@bizosaas/plugin-rate-limit: no limit named "${name}" (see the plugin's \`limits\` option)`)
  return limit.consume(key)
}
