/** Defaults of the social plugin, resolved once at the top of the plugin, and where to find them later. */
import type { Payload } from 'payload'
import { SOCIAL_CONFIG_KEY } from './constants.ts'
import type { AnySocialPlatform } from './platforms/define.ts'
import { socialConnectors, socialPlatforms } from './platforms/index.ts'
import type { ResolvedSocialConfig, SocialAccess, SocialPluginConfig } from './types.ts'

const isSuperAdmin = (user: unknown) => {
  const roles = (user as { roles?: unknown } | null)?.roles
  return Array.isArray(roles) && roles.includes('super-admin')
}

/** Platform admins only: the safe default when the host maps no roles. */
export const socialPlatformAdminsOnly: SocialAccess = {
  read: ({ req }) => isSuperAdmin(req.user),
  write: ({ req }) => isSuperAdmin(req.user),
  manageAccounts: ({ req }) => isSuperAdmin(req.user),
  tenantsOf: (req) => (isSuperAdmin(req.user) ? 'all' : []),
  edit: ({ req }) => isSuperAdmin(req.user),
  manage: ({ req }) => isSuperAdmin(req.user),
}

export function resolveSocialConfig(options: SocialPluginConfig = {}): ResolvedSocialConfig {
  const platforms = [...(options.platforms ?? socialPlatforms)]
  const seen = new Set<string>()
  for (const platform of platforms) {
    if (seen.has(platform.id)) throw new Error(`@bizosaas/plugin-social: platform "${platform.id}" is given twice`)
    seen.add(platform.id)
  }
  return {
    enabled: options.enabled ?? true,
    access: options.access ?? socialPlatformAdminsOnly,
    platforms,
    connectors: [...(options.connectors ?? socialConnectors)],
    worker: { inProcess: options.worker?.inProcess ?? false },
    queueSchema: options.queueSchema ?? 'pgboss',
    collectionOverrides: options.collectionOverrides ?? {},
  }
}

/** The resolved options of the plugin installed in `payload`. */
export function socialConfigOf(payload: Payload): ResolvedSocialConfig {
  const config = payload.config.custom?.[SOCIAL_CONFIG_KEY] as ResolvedSocialConfig | undefined
  if (!config) throw new Error('@bizosaas/plugin-social is not installed in this Payload config')
  return config
}

/** The installed platform `id`, or undefined (its rules still apply from the contract). */
export function socialPlatformOf(payload: Payload, id: string): AnySocialPlatform | undefined {
  return socialConfigOf(payload).platforms.find((p) => p.id === id)
}

export { SOCIAL_CONFIG_KEY }
