/**
 * `@bizosaas/plugin-social`: a tenant's social accounts (a connection plus the profile or page posted as),
 * posts with a variant per account, their approval and schedule (`posts.ts`), the `/api/social`
 * endpoints, and the publish queue. The platforms (X, LinkedIn, Facebook, Instagram, Bluesky, Mastodon)
 * are given as `platforms`; their connectors as `connectors` (or registered by their packs).
 */
import { registerConnectors } from '@bizosaas/plugin-connectors'
import type { Config } from 'payload'
import { socialAccountsCollection, socialPostsCollection, socialVariantsCollection } from './collections/index.ts'
import { resolveSocialConfig, SOCIAL_CONFIG_KEY } from './defaults.ts'
import { socialEndpoints } from './endpoints/index.ts'
import type { SocialPluginConfig } from './types.ts'
import { SOCIAL_QUEUE_KEY } from './worker/config.ts'
import { startSocialWorker } from './worker/index.ts'

export function socialPlugin(options: SocialPluginConfig = {}) {
  const resolved = resolveSocialConfig(options)
  return (incoming: Config): Config => {
    const config: Config = {
      ...incoming,
      collections: [
        ...(incoming.collections ?? []),
        socialAccountsCollection(resolved),
        socialPostsCollection(resolved),
        socialVariantsCollection(resolved),
      ],
      custom: {
        ...incoming.custom,
        [SOCIAL_CONFIG_KEY]: resolved,
        ...(options.publisher ? { [SOCIAL_QUEUE_KEY]: options.publisher } : {}),
      },
    }
    if (resolved.connectors.length) registerConnectors(config, resolved.connectors)
    if (!resolved.enabled) return config
    config.endpoints = [...(incoming.endpoints ?? []), ...socialEndpoints]
    if (resolved.worker.inProcess) {
      const previous = config.onInit
      config.onInit = async (payload) => {
        await previous?.(payload)
        const worker = await startSocialWorker(payload)
        payload.logger.info('social: publish and metrics workers running in this process')
        const stop = () => void worker.stop({ graceMs: 5_000 })
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      }
    }
    return config
  }
}

export { socialAccountsCollection, socialPostsCollection, socialVariantsCollection } from './collections/index.ts'
export {
  METRICS_QUEUE,
  METRICS_WINDOWS,
  type MetricsWindow,
  PUBLISH_QUEUE,
  SOCIAL_ACCOUNTS,
  SOCIAL_AGENT_SLUGS,
  SOCIAL_COLLECTIONS,
  SOCIAL_POSTS,
  SOCIAL_VARIANTS,
  type SocialAgentSlug,
} from './constants.ts'
export {
  resolveSocialConfig,
  SOCIAL_CONFIG_KEY,
  socialConfigOf,
  socialPlatformAdminsOnly,
  socialPlatformOf,
} from './defaults.ts'
export { SocialError, type SocialIssue } from './errors.ts'
export {
  approveSocialPost,
  type CheckArgs,
  type CreateSocialPostArgs,
  checkVariants,
  createSocialPost,
  type PostWithVariants,
  refreshPostStatus,
  rejectSocialPost,
  rescheduleSocialPost,
  submitSocialPost,
  unscheduleSocialPost,
  type VariantInput,
  variantLink,
} from './posts.ts'
export type { Id, ResolvedSocialConfig, SocialAccess, SocialPluginConfig } from './types.ts'
export {
  type PublishOutcome,
  type PublishVariantJob,
  type SocialQueueConfig,
  type SocialWorker,
  type SocialWorkerOptions,
  schedulePublish,
  startSocialWorker,
  stopSocialBoss,
  sweepScheduled,
  unschedulePublish,
  withSocialWorkerConfig,
} from './worker/index.ts'
