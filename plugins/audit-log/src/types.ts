/** Options of the audit-log plugin and the shape of one audit event. */
import type { Access, CollectionConfig } from 'payload'

export interface AuditLogPluginConfig {
  /**
   * `false` keeps the collection (the schema never depends on the flag) but records nothing and runs no
   * retention job. @default true
   */
  enabled?: boolean
  /**
   * Who may read entries. The host maps its roles (e.g. super-admins all, tenant-admins
   * `{ tenant: { in: [...] } }`, which leaves entries without a tenant to super-admins). Create, update and
   * delete are `false` for everyone, whatever is passed here. @default only signed-in users of `userCollection` with `roles` containing `super-admin`
   */
  access?: { read?: Access }
  /** Entries older than this many days are deleted by the daily prune job. @default 400 */
  retentionDays?: number
  /** Cron (UTC) of the prune job. @default '17 3 * * *' (daily at 03:17) */
  pruneCron?: string
  /** Collections not recorded (the audit log itself never is). @default [] */
  excludeCollections?: string[]
  /** Slug of the tenants collection (entries of a tenant, and changes to the tenant itself). @default 'tenants' */
  tenantsCollection?: string
  /** Slug of the auth collection whose sign-ins, roles and memberships are recorded. @default 'users' */
  userCollection?: string
  /** Slug of the agents plugin's approvals collection, whose approve/reject endpoints are recorded. @default 'approvals' */
  approvalsCollection?: string
  /**
   * Trust `X-Forwarded-For` / `X-Real-IP` for the client IP (set when a proxy like Caddy sets them and
   * strips what clients send). @default true
   */
  trustProxy?: boolean
  /** Run the prune worker in this process (dev). Production runs it in `pnpm worker`. */
  worker?: { inProcess?: boolean }
  /** pg-boss database. @default Payload's database URL */
  queueConnectionString?: string
  /** pg-boss schema (the one the agents and the Medusa bridge use). @default 'pgboss' */
  queueSchema?: string
  /** Spread first into the collection (labels, admin group …); access, hooks and fields stay the plugin's. */
  collectionOverrides?: Partial<CollectionConfig>
}

export interface ResolvedAuditLogConfig {
  enabled: boolean
  read: Access
  retentionDays: number
  pruneCron: string
  excludeCollections: ReadonlySet<string>
  tenantsCollection: string
  userCollection: string
  approvalsCollection: string
  trustProxy: boolean
  worker: { inProcess: boolean }
  queueConnectionString: string | undefined
  queueSchema: string
  collectionOverrides: Partial<CollectionConfig>
}

type Id = number | string

/** One thing that happened, as `recordAuditEvent` takes it (who, IP, user agent and request id come from `req`). */
export interface AuditEvent {
  /** `create`, `auth.sign-in`, `tenant.exported` … (see AUDIT_ACTIONS); lower-case words, dots and dashes. */
  action: string
  /** The collection concerned, if any. */
  collection?: string | null
  /** The document concerned, if any. */
  documentId?: Id | null
  /** The tenant the entry belongs to (tenant-admins of it read it); none: super-admins only. */
  tenant?: Id | null
  /** Names of the fields that changed — never their values. */
  changedFields?: string[]
  /** Small, non-secret facts (counts, role names, tenant ids). Never values of documents or secrets. */
  details?: Record<string, unknown> | null
  /** Who did it, when `req` has no user (a failed sign-in, a job acting for someone). */
  user?: { id?: Id | null; email?: string | null } | null
}
