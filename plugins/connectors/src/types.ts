/** Options of `connectorsPlugin` and what they resolve to. */
import type { CollectionConfig, Payload, PayloadRequest } from 'payload'
import type { AnyConnector } from './define.ts'

export type Id = number | string

/** Who sees and who changes a tenant's connections; the host maps its roles onto these. */
export interface ConnectorsAccess {
  /** The tenants whose connections (status, account, never secrets) the user may read; `'all'` for platform admins. */
  tenantsOf(req: PayloadRequest): 'all' | Id[]
  /** May connect, test and disconnect connections of `tenant` (tenant-admins of THAT tenant, platform admins). */
  manage(args: { req: PayloadRequest; tenant: Id }): boolean | Promise<boolean>
}

/** A deployment's replacement URLs for one connector (tests and `pnpm dev` point them at mock servers). */
export interface ConnectorOverride {
  authorizationUrl?: string
  tokenUrl?: string
  revocationUrl?: string
  urls?: Record<string, string>
}

/** The platform's OAuth app for a connector. */
export interface PlatformApp {
  clientId: string
  clientSecret?: string
}

/** What a tenant's admins are told when a connection needs them (see `notify`). */
export interface ReconnectNotice {
  tenant: Id
  connection: { id: Id; name: string; connector: string; connectorName: string }
  reason: string
  /** Emails of the tenant's admins. */
  to: string[]
}

export interface ConnectorsPluginConfig {
  /**
   * `false` keeps the collection (the schema never depends on the flag) but adds no endpoints, no
   * worker and no `ctx.connection`. @default true
   */
  enabled?: boolean
  /** Connectors offered besides those packs add with `registerConnectors`. @default [] */
  connectors?: AnyConnector[]
  /** Platform OAuth apps by connector id (the CMS fills them from CONNECTOR_<ID>_CLIENT_ID/_SECRET). @default {} */
  apps?: Record<string, PlatformApp>
  /** Per-connector URL overrides. @default {} */
  overrides?: Record<string, ConnectorOverride>
  /** Tokens expiring within this many seconds are refreshed first (and by the cron). @default 300 */
  refreshMarginSeconds?: number
  /** @default platform admins (`roles` containing `super-admin`) only */
  access?: ConnectorsAccess
  /** How long one provider call (token, revoke, test) may take. @default 15000 */
  timeoutMs?: number
  /**
   * Tells a tenant's admins that a connection needs reconnecting; called once per flip to `needs-reconnect`.
   * @default an email to `recipients` with `sendMail` (the tenant's smtp connection, else SMTP_URL); a send
   * that fails is logged
   */
  notify?: (payload: Payload, notice: ReconnectNotice) => Promise<void>
  /**
   * Emails of the people told when a tenant's connection needs reconnecting.
   * @default users whose membership of the tenant has the role `tenant-admin`
   */
  recipients?: (payload: Payload, tenant: Id) => Promise<string[]>
  /** Run the refresh cron in this process (`pnpm dev`); `pnpm worker` starts it itself. @default { inProcess: false } */
  worker?: { inProcess?: boolean }
  /** pg-boss schema of the refresh queue (shared with the agents). @default 'pgboss' */
  queueSchema?: string
  /** Spread first into the `connections` collection. @default {} */
  collectionOverrides?: Partial<CollectionConfig>
  /**
   * The portal's public URL: OAuth providers send the browser back to `${portalUrl}/oauth/callback`,
   * and the flow accepts no other redirect URI. Unset: OAuth connections cannot be started.
   * @default undefined
   */
  portalUrl?: string
}

export interface ResolvedConnectorsConfig {
  enabled: boolean
  connectors: AnyConnector[]
  apps: Record<string, PlatformApp>
  overrides: Record<string, ConnectorOverride>
  refreshMarginSeconds: number
  access: ConnectorsAccess
  timeoutMs: number
  notify?: ConnectorsPluginConfig['notify']
  recipients: (payload: Payload, tenant: Id) => Promise<string[]>
  worker: { inProcess: boolean }
  queueSchema: string
  collectionOverrides: Partial<CollectionConfig>
  /** `${portalUrl}/oauth/callback`, when the portal's URL is configured. */
  redirectUri: string | undefined
}
