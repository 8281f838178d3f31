/** Options of `tenantDataPlugin` and the events it reports. */
import type { CollectionConfig, Payload, PayloadRequest } from 'payload'

/** Something the plugin did that an audit log records. */
export type TenantDataEvent =
  | { type: 'export'; tenant: { id: number | string; slug: string }; jobId: number | string; documents: number }
  | { type: 'import'; tenant: { id: number | string; slug: string }; jobId: number | string; documents: number }
  | {
      type: 'deletion-requested' | 'deletion-finished'
      tenant: { id: number | string; slug: string }
      jobId: number | string
      counts?: Record<string, number>
    }

export interface TenantDataPluginConfig {
  /**
   * `false` keeps the `tenant-data-jobs` collection (the schema never depends on the flag) but adds no
   * endpoints and starts no worker. @default true
   */
  enabled?: boolean
  /**
   * Who may export, import and delete tenants. Platform admins only: these endpoints read and remove
   * everything of a tenant. @default () => false (nobody; the host app must say who its platform admins are)
   */
  access?: (req: PayloadRequest) => boolean | Promise<boolean>
  /**
   * Fields left out of the archive, per collection (sealed secrets). Merged with the defaults.
   * @default { connections: ['ciphertext', 'keyId', 'secretHint'] }
   */
  omitFields?: Record<string, string[]>
  /** Documents read (export) or removed (deletion) per batch. @default 500 */
  batchSize?: number
  /**
   * The single call site for the audit log: called after an export, import, deletion request and
   * finished deletion (`req` is the platform admin's request, absent in the deletion job). Errors are
   * logged, never thrown to the caller. @default undefined
   */
  onEvent?: (event: TenantDataEvent, req: PayloadRequest | undefined, payload: Payload) => void | Promise<void>
  /** pg-boss of the deletion queue. */
  queue?: {
    /** @default Payload's database URL */
    connectionString?: string
    /** @default 'pgboss' */
    schema?: string
    /**
     * A running deletion heartbeats at half this interval; a job whose worker died (`kill -9`) is
     * failed after it and retried, resuming where the dead worker stopped. pg-boss's minimum is 10. @default 30
     */
    heartbeatSeconds?: number
    /** Longest a deletion may run before pg-boss gives up on it and retries. @default 86400 */
    expireInSeconds?: number
    /** Attempts before a deletion is marked failed. @default 5 */
    retryLimit?: number
    /** Seconds before a failed deletion is retried. @default 5 */
    retryDelaySeconds?: number
    /** How often pg-boss looks for dead jobs (supervise and monitor intervals). @default 60 */
    superviseIntervalSeconds?: number
  }
  /** Run the deletion worker inside this process (dev, tests). Production runs it in `pnpm worker`. @default false */
  worker?: { inProcess?: boolean }
  /** Spread first into the `tenant-data-jobs` collection config. @default {} */
  collectionOverrides?: Partial<CollectionConfig>
}

export interface ResolvedTenantDataConfig {
  enabled: boolean
  access: (req: PayloadRequest) => boolean | Promise<boolean>
  omitFields: Record<string, readonly string[]>
  batchSize: number
  onEvent: TenantDataPluginConfig['onEvent']
  queue: {
    connectionString: string | undefined
    schema: string
    heartbeatSeconds: number
    expireInSeconds: number
    retryLimit: number
    retryDelaySeconds: number
    superviseIntervalSeconds: number
  }
  worker: { inProcess: boolean }
  collectionOverrides: Partial<CollectionConfig>
}
