import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type DestinationStream, serviceLoggerOptions } from '@bizosaas/observability/logger'
import { AGENT_COLLECTIONS, type AgentsPluginConfig, agentsPlugin } from '@bizosaas/plugin-agents'
import {
  type AuditLogPluginConfig,
  auditLogPlugin,
  recordApprovalDecision,
  recordAuditEvent,
} from '@bizosaas/plugin-audit-log'
import { commerceAgentsPlugin } from '@bizosaas/plugin-commerce-agents'
import {
  builtinConnectors,
  type ConnectorsPluginConfig,
  connectorsPlugin,
  modelKeysPlugin,
  platformEmailAdapter,
} from '@bizosaas/plugin-connectors'
import {
  emitWebhookEvent,
  WEBHOOK_COLLECTIONS,
  type WebhooksConfig,
  webhookAgentEvents,
  webhooksPlugin,
} from '@bizosaas/plugin-connectors/webhooks'
import { contentAgentsPlugin } from '@bizosaas/plugin-content-agents'
import { type MedusaPluginConfig, medusaPlugin } from '@bizosaas/plugin-medusa'
import { type RateLimitPluginConfig, rateLimitPlugin } from '@bizosaas/plugin-rate-limit'
import { SOCIAL_COLLECTIONS, type SocialPluginConfig, socialPlugin } from '@bizosaas/plugin-social'
import { type TenantDataPluginConfig, tenantDataPlugin } from '@bizosaas/plugin-tenant-data'
import { vaultPlugin } from '@bizosaas/plugin-vault'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { multiTenantPlugin } from '@payloadcms/plugin-multi-tenant'
import { lexicalEditor } from '@payloadcms/richtext-lexical'
import type { Access, AccessResult, CollectionConfig, Config, Plugin } from 'payload'
import sharp from 'sharp'
import { agentsAccess } from './access/agents.ts'
import { connectorOverridesFromEnv, connectorsAccess, platformConnectorApps } from './access/connectors.ts'
import { createContent, readContent, writeContent } from './access/content.ts'
import {
  type AccessUser,
  ADMIN_ROLES,
  EDITOR_ROLES,
  hasTenantRole,
  isSuperAdmin,
  TENANT_ROLES,
  tenantIdsWithRole,
  userOf,
} from './access/roles.ts'
import { simplifyAccessResult } from './access/simplify-where.ts'
import { socialAccess } from './access/social.ts'
import { userErrorsPlugin } from './api/user-errors.ts'
import { categories } from './collections/categories.ts'
import { media } from './collections/media.ts'
import { pages } from './collections/pages.ts'
import { posts } from './collections/posts.ts'
import { tenants } from './collections/tenants.ts'
import { users } from './collections/users/index.ts'
import { healthEndpoints } from './endpoints/health.ts'
import { readCmsEnv } from './env.ts'
import { revalidateStorefrontOn } from './hooks/revalidate-storefront.ts'
import { tenantBeforeAccessPlugin } from './hooks/tenant-before-access.ts'
import { migrations } from './migrations/index.ts'
import { opsPlugin } from './ops/index.ts'
import { agentsRateLimit, rateLimitOptions } from './rate-limit/limits.ts'

const dirname = path.dirname(fileURLToPath(import.meta.url))

export interface CmsConfigOptions {
  /** More plugins (agent packs) placed before the multi-tenant plugin, so it scopes what they add. */
  plugins?: Plugin[]
  /** Overrides of the agents plugin's options (queue policy, worker). */
  agents?: Partial<AgentsPluginConfig>
  /** Overrides of the Medusa bridge's options (Medusa URL and key, retries, worker). */
  medusa?: Partial<MedusaPluginConfig>
  /** Overrides of the audit log's options (retention, worker, `enabled: false` for the bench's "off" runs). */
  auditLog?: Partial<AuditLogPluginConfig>
  /** Overrides of the rate limits' options (by default from the RATE_LIMIT* variables). */
  rateLimit?: Partial<RateLimitPluginConfig>
  /** Overrides of the tenant export/import/deletion options (batch size, deletion queue, worker). */
  tenantData?: Partial<TenantDataPluginConfig>
  /** Overrides of the connectors' options (test connectors, URL overrides pointing at mock providers, notify). */
  connectors?: Partial<ConnectorsPluginConfig>
  /** Overrides of the social plugin's options (platforms, their connectors, worker). */
  social?: Partial<SocialPluginConfig>
  /** Overrides of the outgoing webhooks' options (retry delays, timeouts, worker, production rules). */
  webhooks?: Partial<WebhooksConfig>
  /** The `service` of every log line (`worker` in `pnpm worker`). @default 'cms' */
  service?: string
  /** Where Payload's logger writes its JSON lines (tests capture them). @default stdout */
  logDestination?: DestinationStream
}

/** The BizOSaaS Payload config, unbuilt: `payload.config.ts` builds it; tests and tools add plugins to it. */
export function cmsConfig(options: CmsConfigOptions = {}): Config {
  const env = readCmsEnv()
  return {
    secret: env.PAYLOAD_SECRET,
    // Payload's own emails (forgot password) through the platform mailer when SMTP_URL is set; else its log.
    email: env.SMTP_URL ? platformEmailAdapter() : undefined,
    serverURL: env.CMS_URL,
    telemetry: false,
    // Payload's own pino, as JSON lines with service, reqId and tenant (@bizosaas/observability); LOG_LEVEL.
    logger: { options: serviceLoggerOptions(options.service ?? 'cms'), destination: options.logDestination },
    admin: {
      user: users.slug,
      importMap: { baseDir: dirname },
      meta: { titleSuffix: ' — BizOSaaS' },
      // Gravatar would make every admin page call an outside host; the built-in avatar needs no network.
      avatar: 'default',
    },
    // Fresh copies: plugins add fields, hooks and access to the collections they are given.
    collections: [tenants, users, pages, posts, categories, media(env.MEDIA_DIR)].map(fresh),
    editor: lexicalEditor(),
    db: postgresAdapter({
      pool: { connectionString: env.DATABASE_URL },
      // Schema changes ship as committed migrations; push mode prompts and blocks non-interactive runs.
      push: false,
      migrationDir: path.resolve(dirname, 'migrations'),
      // Only with MIGRATE_ON_START=true: a deploy migrates once (`pnpm migrate`), not in every replica.
      prodMigrations: env.MIGRATE_ON_START === 'true' ? migrations : undefined,
    }),
    sharp,
    endpoints: [...healthEndpoints],
    typescript: { outputFile: path.resolve(dirname, 'payload-types.ts') },
    graphQL: { disablePlaygroundInProduction: true },
    localization: {
      locales: [
        { code: 'en', label: 'English' },
        { code: 'de', label: 'Deutsch' },
        { code: 'fr', label: 'Français' },
        { code: 'es', label: 'Español' },
      ],
      defaultLocale: 'en',
      fallback: true,
    },
    plugins: [
      agentsPlugin({
        access: agentsAccess,
        // `pnpm dev` runs a worker inside the CMS; production runs `pnpm worker` processes.
        worker: { inProcess: env.AGENTS_WORKER === 'in-process' },
        // Run starts per tenant and approval decisions per user (see rate-limit/limits.ts).
        rateLimit: agentsRateLimit,
        // Each approval decision's audit entry commits in the decision's own transaction.
        onDecision: recordApprovalDecision,
        // Runs finishing and approvals waiting reach the tenant's webhook endpoints.
        onEvent: webhookAgentEvents,
        ...options.agents,
      }),
      // Sign-in and forgot-password limits, and the named limits the agents' endpoints spend.
      rateLimitPlugin({ ...rateLimitOptions(env), ...options.rateLimit }),
      contentAgentsPlugin(),
      medusaPlugin({
        access: { read: readContent, update: writeContent, manage: ({ req }) => isSuperAdmin(userOf(req)) },
        worker: { inProcess: env.AGENTS_WORKER === 'in-process' },
        // Orders placed in Medusa reach the tenant's webhook endpoints (`order.placed`, one per order).
        onOrderPlaced: (payload, event) => emitWebhookEvent(payload, { ...event, type: 'order.placed' }),
        ...options.medusa,
      }),
      // Product texts edited in Payload reach the storefront's cached product pages at once.
      revalidateStorefrontOn(['product-content']),
      commerceAgentsPlugin({
        access: { read: readContent, create: createContent, update: writeContent, delete: writeContent },
      }),
      // The keys that seal tenants' secrets (connections …), and their rotation (`pnpm vault:rotate`).
      vaultPlugin(),
      // Tenants' accounts at outside services (sealed with the vault's keys); members read their status,
      // tenant-admins connect, test and disconnect. Platform OAuth apps from CONNECTOR_<ID>_CLIENT_ID/_SECRET.
      connectorsPlugin({
        access: connectorsAccess,
        connectors: [...builtinConnectors],
        apps: platformConnectorApps(process.env),
        overrides: connectorOverridesFromEnv(process.env),
        // OAuth consent comes back to the portal's /oauth/callback, and only there.
        portalUrl: env.PORTAL_URL,
        worker: { inProcess: env.AGENTS_WORKER === 'in-process' },
        ...options.connectors,
      }),
      // Social accounts, posts and their variants: members read, managers compose, approve and schedule,
      // tenant-admins add accounts. After the connectors, whose connections the accounts post with.
      socialPlugin({
        access: socialAccess,
        worker: { inProcess: env.AGENTS_WORKER === 'in-process' },
        ...options.social,
      }),
      // Bring your own key: whose OpenAI / Anthropic keys pay for a tenant's runs (a policy on the tenant).
      modelKeysPlugin(),
      // Outgoing webhooks: tenant-admins change endpoints, managers read them and the delivery log.
      webhooksPlugin({
        access: { read: tenantEditors, manage: tenantAdminsOnly },
        worker: { inProcess: env.AGENTS_WORKER === 'in-process' },
        ...options.webhooks,
      }),
      ...(options.plugins ?? []),
      // Tenant export, import and deletion: platform admins only. Not scoped by the multi-tenant plugin
      // (its job records outlive the tenant); it finds tenant collections itself.
      tenantDataPlugin({
        access: (req) => isSuperAdmin(userOf(req)),
        worker: { inProcess: env.AGENTS_WORKER === 'in-process' },
        // Sealed connection secrets never leave in an archive (they are bound to the row and tenant anyway).
        omitFields: { connections: ['ciphertext', 'keyId', 'secretHint'] },
        onEvent: auditTenantData,
        ...options.tenantData,
      }),
      // Last, so it scopes the collections the plugins above add.
      multiTenantPlugin({
        // Its "your tenants" constraint is ANDed to ours, which mostly implies it already: the redundant
        // half is left out (same documents, fewer joins; see access/simplify-where.ts).
        collections: Object.fromEntries(
          [
            'pages',
            'posts',
            'categories',
            'media',
            'product-content',
            'product-reviews',
            'connections',
            // A tenant's own OAuth app per connector (@bizosaas/plugin-connectors).
            'connector-apps',
            ...WEBHOOK_COLLECTIONS,
            ...AGENT_COLLECTIONS,
            // Social accounts, posts and variants (@bizosaas/plugin-social).
            ...SOCIAL_COLLECTIONS,
          ].map((slug) => [slug, { accessResultOverride: withoutRedundantConstraints }]),
        ),
        usersAccessResultOverride: withoutRedundantConstraints,
        userHasAccessToAllTenants: (user) => isSuperAdmin(user as AccessUser),
        tenantsArrayField: {
          includeDefaultField: true,
          // Only super-admins and tenant-admins edit memberships (the users hook checks which tenants).
          arrayFieldAccess: {
            update: ({ req }) => isSuperAdmin(userOf(req)) || hasAnyAdminRole(req.user as AccessUser),
            create: ({ req }) => isSuperAdmin(userOf(req)) || hasAnyAdminRole(req.user as AccessUser),
          },
          rowFields: [
            {
              name: 'roles',
              type: 'select',
              hasMany: true,
              required: true,
              options: [...TENANT_ROLES],
              defaultValue: ['client'],
              saveToJWT: true,
            },
          ],
        },
      }),
      // After it: a create's tenant taken from the admin's cookie is judged by create access too.
      tenantBeforeAccessPlugin,
      // After every other plugin, so it records every collection (and reads the `tenant` fields the
      // multi-tenant plugin added). Not listed in the multi-tenant plugin: entries without a tenant
      // (sign-ins, platform changes) must exist, and its read access scopes by tenant itself.
      auditLogPlugin({
        access: { read: tenantAdminsOnly },
        retentionDays: env.AUDIT_LOG_RETENTION_DAYS,
        worker: { inProcess: env.AGENTS_WORKER === 'in-process' },
        // A row per delivery attempt is the delivery log itself; auditing each would double it.
        excludeCollections: ['webhook-deliveries'],
        ...options.auditLog,
      }),
      // The in-process worker's heartbeat and alerts job (`pnpm worker` starts its own in src/worker.ts).
      opsPlugin({ inProcess: env.AGENTS_WORKER === 'in-process' }),
      // Last, so it sees every collection: user mistakes (a malformed id, body or filter) answer 4xx, not 500.
      userErrorsPlugin(),
    ],
  }
}

const withoutRedundantConstraints = ({ accessResult }: { accessResult: AccessResult }) =>
  simplifyAccessResult(accessResult)

const fresh = (c: CollectionConfig): CollectionConfig => ({
  ...c,
  fields: [...c.fields],
  hooks: { ...c.hooks },
  access: { ...c.access },
  admin: { ...c.admin },
})

/**
 * Exports and imports stay in the tenant's audit log; deletion requests and deletions are platform
 * entries (no tenant), so the trace of a deletion outlives the tenant it removed.
 */
const auditTenantData: TenantDataPluginConfig['onEvent'] = (event, req, payload) => {
  const action = {
    export: 'tenant.exported',
    import: 'tenant.imported',
    'deletion-requested': 'tenant.deletion-requested',
    'deletion-finished': 'tenant.deleted',
  }[event.type]
  const platformLevel = event.type === 'deletion-requested' || event.type === 'deletion-finished'
  return recordAuditEvent(req ?? payload, {
    action,
    collection: 'tenants',
    documentId: event.tenant.id,
    tenant: platformLevel ? null : event.tenant.id,
    details: {
      tenant: event.tenant,
      job: event.jobId,
      ...('documents' in event ? { documents: event.documents } : {}),
      ...('counts' in event && event.counts ? { counts: event.counts } : {}),
    },
  })
}

/** Super-admins, and tenant-admins within their tenants (the multi-tenant plugin scopes on top). */
const tenantAdminsOnly: Access = ({ req, data }) => {
  const user = userOf(req)
  if (!user) return false
  if (isSuperAdmin(user)) return true
  // Writing into a tenant (create, or moving a document) needs the admin role there.
  if (data && 'tenant' in data && data.tenant != null && !hasTenantRole(user, data.tenant, ADMIN_ROLES)) return false
  const ids = tenantIdsWithRole(user, ADMIN_ROLES)
  return ids.length ? { tenant: { in: ids } } : false
}

/** Super-admins, and tenant-admins and managers within their tenants (reading; writing needs admin). */
const tenantEditors: Access = ({ req, data }) => {
  const user = userOf(req)
  if (!user) return false
  if (isSuperAdmin(user)) return true
  if (data && 'tenant' in data && data.tenant != null && !hasTenantRole(user, data.tenant, EDITOR_ROLES)) return false
  const ids = tenantIdsWithRole(user, EDITOR_ROLES)
  return ids.length ? { tenant: { in: ids } } : false
}

function hasAnyAdminRole(user: AccessUser): boolean {
  return Boolean(user?.tenants?.some((row) => row.roles?.includes('tenant-admin')))
}
