/** Options of outgoing webhooks (`webhooksPlugin` / `connectorsPlugin({ webhooks })`) and their resolved form. */
import type { VaultKeyring } from '@bizosaas/plugin-vault'
import type { Access, Payload } from 'payload'

/** Who reads and who changes a tenant's webhook endpoints; the multi-tenant plugin scopes on top. */
export interface WebhooksAccess {
  /** Reads endpoints (never their secret) and the delivery log. */
  read: Access
  /** Creates, updates, deletes, tests and rotates endpoints; redelivers. */
  manage: Access
}

export interface WebhooksConfig {
  /** `false` keeps both collections (the schema never depends on a flag) but adds no endpoints, hooks or worker. @default true */
  enabled?: boolean
  access: WebhooksAccess
  /**
   * Run the delivery worker inside this process (`pnpm dev`); production runs it in `pnpm worker`
   * (`startWebhookWorker`). @default false
   */
  worker?: { inProcess?: boolean }
  /** Attempts after the first (pg-boss `retryLimit`). 7 → 8 attempts. @default 7 */
  retryLimit?: number
  /** Seconds before the first retry; each later retry waits about twice as long (pg-boss backoff, jittered). @default 600 */
  retryDelaySeconds?: number
  /** How long one POST may take. @default 10000 */
  timeoutMs?: number
  /** Consecutive failed deliveries (every attempt spent) after which an endpoint is disabled. @default 5 */
  disableAfterFailures?: number
  /**
   * Hosts (names or CIDRs) that may resolve to private or loopback addresses in production.
   * @default WEBHOOKS_ALLOWED_PRIVATE_HOSTS, comma-separated
   */
  allowPrivateHosts?: string[]
  /**
   * Whether URLs are held to production rules (https only; no private, loopback or link-local targets).
   * @default NODE_ENV === 'production'
   */
  production?: boolean | (() => boolean)
  /** Collections whose publishing (`_status` turning `published`) emits `post.published`. @default ['posts'] */
  publishCollections?: string[]
  /** The keyring that seals signing secrets. @default the vault's (`vaultConfigOf(payload).keyring()`) */
  keyring?: (payload: Payload) => VaultKeyring
  /**
   * How often pg-boss looks for expired deliveries (a worker killed mid-POST; their job expires after
   * 2 × timeout + 5 s and is retried). @default 60 (pg-boss's own default)
   */
  superviseIntervalSeconds?: number
  /** pg-boss schema and connection. @default 'pgboss', Payload's database */
  queueSchema?: string
  queueConnectionString?: string
}

export interface ResolvedWebhooksConfig {
  enabled: boolean
  access: WebhooksAccess
  worker: { inProcess: boolean }
  retryLimit: number
  retryDelaySeconds: number
  timeoutMs: number
  disableAfterFailures: number
  allowPrivateHosts: string[]
  production: () => boolean
  publishCollections: string[]
  keyring: (payload: Payload) => VaultKeyring
  superviseIntervalSeconds?: number
  queueSchema: string
  queueConnectionString?: string
}
