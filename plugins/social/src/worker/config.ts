/**
 * The publisher's settings shared by every process that enqueues or works social jobs (the CMS that
 * approves a post and the `pnpm worker` processes that publish it): queue schema, how long one platform
 * call may take (which bounds when a killed worker's variant is taken over), metrics windows, and the
 * platforms installed. The social plugin puts them on `payload.config.custom`; defaults otherwise.
 */
import type { Config, Payload } from 'payload'
import { METRICS_WINDOWS, type MetricsWindow, SOCIAL_CONFIG_KEY } from '../constants.ts'
import type { AnySocialPlatform } from '../platforms/define.ts'

export interface SocialQueueConfig {
  /** pg-boss schema (shared with the agents' queues). @default 'pgboss' */
  queueSchema?: string
  /**
   * How long one publish (or lookup) call may take before it is abandoned and the variant becomes
   * `unconfirmed`. A variant left `publishing` by a killed worker is taken over once its claim is older
   * than this (plus a margin), so the dead attempt's call has certainly ended. @default 30000
   */
  publishTimeoutMs?: number
  /** pg-boss's supervise interval: how soon a killed worker's job is retried. @default pg-boss's (60) */
  superviseIntervalSeconds?: number
  /** Seconds after publishing at which metrics are read. @default { '1d': 86400, '7d': 604800 } */
  metricsWindows?: Partial<Record<MetricsWindow, number>>
  /** First retry delay of a failed metrics reading (doubles each time). @default 300 */
  metricsRetryDelaySeconds?: number
  /** Retries of a failed metrics reading. @default 6 */
  metricsRetryLimit?: number
  /** How often workers look for scheduled variants whose job went missing. @default 30 */
  sweepIntervalSeconds?: number
}

export interface ResolvedSocialQueueConfig {
  queueSchema: string
  publishTimeoutMs: number
  superviseIntervalSeconds?: number
  metricsWindows: Record<MetricsWindow, number>
  metricsRetryDelaySeconds: number
  metricsRetryLimit: number
  sweepIntervalSeconds: number
}

/** Where the social plugin leaves its queue settings and platforms on the Payload config. */
export const SOCIAL_QUEUE_KEY = 'socialQueue'
export const SOCIAL_PLATFORMS_KEY = 'socialPlatforms'

export function resolveSocialQueueConfig(options: SocialQueueConfig = {}): ResolvedSocialQueueConfig {
  return {
    queueSchema: options.queueSchema ?? 'pgboss',
    publishTimeoutMs: options.publishTimeoutMs ?? 30_000,
    superviseIntervalSeconds: options.superviseIntervalSeconds,
    metricsWindows: { ...METRICS_WINDOWS, ...options.metricsWindows },
    metricsRetryDelaySeconds: options.metricsRetryDelaySeconds ?? 300,
    metricsRetryLimit: options.metricsRetryLimit ?? 6,
    sweepIntervalSeconds: options.sweepIntervalSeconds ?? 30,
  }
}

const custom = (payload: Payload) => (payload.config.custom ?? {}) as Record<string, unknown>

const pluginConfig = (payload: Payload) =>
  custom(payload)[SOCIAL_CONFIG_KEY] as { queueSchema?: string; platforms?: AnySocialPlatform[] } | undefined

export function socialQueueConfigOf(payload: Payload): ResolvedSocialQueueConfig {
  return resolveSocialQueueConfig({
    queueSchema: pluginConfig(payload)?.queueSchema,
    ...(custom(payload)[SOCIAL_QUEUE_KEY] as SocialQueueConfig | undefined),
  })
}

/** The platforms the plugin was given (`socialPlugin({ platforms })`), or set with `withSocialWorkerConfig`. */
export function socialPlatformsOf(payload: Payload): readonly AnySocialPlatform[] {
  return (
    (custom(payload)[SOCIAL_PLATFORMS_KEY] as AnySocialPlatform[] | undefined) ?? pluginConfig(payload)?.platforms ?? []
  )
}

/** Puts the publisher's settings and platforms on a config (the plugin calls it; tests may too). */
export function withSocialWorkerConfig(
  config: Config,
  settings: { queue?: SocialQueueConfig; platforms?: readonly AnySocialPlatform[] },
): Config {
  const current = (config.custom ?? {}) as Record<string, unknown>
  return {
    ...config,
    custom: {
      ...current,
      ...(settings.queue
        ? { [SOCIAL_QUEUE_KEY]: { ...(current[SOCIAL_QUEUE_KEY] as object), ...settings.queue } }
        : {}),
      ...(settings.platforms ? { [SOCIAL_PLATFORMS_KEY]: [...settings.platforms] } : {}),
    },
  }
}

/** The expiry of a publish job: a platform call, a settle lookup, the database work around them. */
export const publishExpireSeconds = (config: ResolvedSocialQueueConfig) =>
  Math.ceil(config.publishTimeoutMs / 1000) * 2 + 10

/** When a `publishing` claim is certainly dead: its call was abandoned at `publishTimeoutMs`. */
export const staleClaimSeconds = (config: ResolvedSocialQueueConfig) => Math.ceil(config.publishTimeoutMs / 1000) + 2
