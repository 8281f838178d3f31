/**
 * `@bizosaas/plugin-social/platforms`: every social platform and the connectors they post with.
 * Each platform lane adds its own entries here.
 */
import type { SocialPlatformId } from '@bizosaas/contracts/social'
import type { AnyConnector } from '@bizosaas/plugin-connectors/define'
import { facebookConnector } from '../connectors/facebook.ts'
import { linkedinConnector } from '../connectors/linkedin.ts'
import { blueskyConnector, blueskyPlatform } from './bluesky.ts'
import type { AnySocialPlatform } from './define.ts'
import { facebookPlatform } from './facebook.ts'
import { instagramPlatform } from './instagram.ts'
import { linkedinPlatform } from './linkedin.ts'
import { mastodonConnector, mastodonPlatform } from './mastodon.ts'
import { xConnector, xPlatform } from './x.ts'

export * from '../connectors/index.ts'
export * from './bluesky.ts'
export * from './define.ts'
export * from './facebook.ts'
export * from './instagram.ts'
export * from './linkedin.ts'
export * from './mastodon.ts'
export * from './publish-errors.ts'
export * from './x.ts'

/** Every platform BizOSaaS posts to. */
export const socialPlatforms: readonly AnySocialPlatform[] = Object.freeze([
  xPlatform,
  linkedinPlatform,
  facebookPlatform,
  instagramPlatform,
  blueskyPlatform,
  mastodonPlatform,
])

/** The connectors the platforms post with (`facebook` serves both Facebook and Instagram). */
export const socialConnectors: readonly AnyConnector[] = Object.freeze([
  xConnector,
  linkedinConnector,
  facebookConnector,
  blueskyConnector,
  mastodonConnector,
])

/** The platform `id`; throws for a platform that is not registered (a programmer error). */
export function platformOf(id: SocialPlatformId | string): AnySocialPlatform {
  const platform = socialPlatforms.find((p) => p.id === id)
  if (!platform) throw new Error(`No social platform "${id}" is registered`)
  return platform
}
