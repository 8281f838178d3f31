/** Options of `socialPlugin` and what they resolve to. */
import type { AnyConnector } from '@bizosaas/plugin-connectors'
import type { Access, CollectionConfig, PayloadRequest } from 'payload'
import type { AnySocialPlatform } from './platforms/define.ts'
import type { SocialQueueConfig } from './worker/config.ts'

export type Id = number | string

/**
 * Who reads and who changes a tenant's social accounts and posts; the host maps its roles onto these.
 * The collection functions guard REST and GraphQL; the tenant functions guard the `/api/social` endpoints
 * (a user in several tenants acts in the one the request names, and only where they hold the role).
 */
export interface SocialAccess {
  /** Reading accounts, posts and variants (members of the tenant). */
  read: Access
  /** Creating, changing and deleting posts and variants (editors). */
  write: Access
  /** Creating, changing and deleting accounts (tenant admins). */
  manageAccounts: Access
  /** The tenants whose social posts the user may read; `'all'` for platform admins. */
  tenantsOf(req: PayloadRequest): 'all' | Id[]
  /** May compose, submit, approve, reject and reschedule in `tenant`. */
  edit(args: { req: PayloadRequest; tenant: Id }): boolean | Promise<boolean>
  /** May add and remove `tenant`'s social accounts. */
  manage(args: { req: PayloadRequest; tenant: Id }): boolean | Promise<boolean>
}

export interface SocialPluginConfig {
  /**
   * `false` keeps the three collections (the schema never depends on the flag) but adds no endpoints, no
   * hooks beyond field access, and no worker. @default true
   */
  enabled?: boolean
  /** @default platform admins (`roles` containing `super-admin`) only */
  access?: SocialAccess
  /**
   * The platforms posts can go to. A variant for an account whose platform is not here is still checked
   * against the shared rules, but cannot list targets or publish.
   * @default `socialPlatforms` (X, LinkedIn, Facebook, Instagram, Bluesky, Mastodon; `./platforms`)
   */
  platforms?: AnySocialPlatform[]
  /**
   * Connectors the platforms post with, registered with the connectors plugin (`registerConnectors`).
   * Give `[]` when the host registers them itself.
   * @default `socialConnectors` (x, linkedin, facebook, bluesky, mastodon; `./platforms`)
   */
  connectors?: AnyConnector[]
  /** Run the publish worker in this process (`pnpm dev`); `pnpm worker` starts its own. @default { inProcess: false } */
  worker?: { inProcess?: boolean }
  /** pg-boss schema of the publish queue (shared with the agents). @default 'pgboss' */
  queueSchema?: string
  /**
   * The publisher's timing, shared by every process that enqueues or publishes: publish call timeout,
   * metrics windows, sweep interval (see `SocialQueueConfig`). @default { publishTimeoutMs: 30000, metricsWindows: { '1d': 86400, '7d': 604800 } }
   */
  publisher?: SocialQueueConfig
  /** Spread first into each collection, by slug. @default {} */
  collectionOverrides?: Partial<
    Record<'social-accounts' | 'social-posts' | 'social-variants', Partial<CollectionConfig>>
  >
}

export interface ResolvedSocialConfig {
  enabled: boolean
  access: SocialAccess
  platforms: AnySocialPlatform[]
  connectors: AnyConnector[]
  worker: { inProcess: boolean }
  queueSchema: string
  collectionOverrides: NonNullable<SocialPluginConfig['collectionOverrides']>
}
