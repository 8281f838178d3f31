import type { Payload } from 'payload'
import type { ProductContentAccess } from './collections/product-content.ts'

/** A placed order as the bridge hands it on: for the tenant whose sales channel it was placed in. */
export interface OrderPlacedEvent {
  /** `order.placed:<order id>`: the same order handed on twice has the same id (receivers de-duplicate). */
  id: string
  tenant: number | string
  /** No personal data: ids, number, total, currency, time, item count. */
  data: {
    orderId: string
    displayId: number | null
    salesChannelId: string
    total: number
    currencyCode: string
    itemCount: number
    createdAt: string
  }
}

/** Told of each placed order (the host wires it to outgoing webhooks); a rejection retries the job. */
export type OrderPlacedHook = (payload: Payload, event: OrderPlacedEvent) => Promise<unknown>

export interface MedusaPluginConfig {
  /**
   * `false` keeps the collection (the schema never depends on the flag) but adds no hooks, endpoints
   * or jobs. @default true
   */
  enabled?: boolean
  /** Medusa's base URL. @default process.env.MEDUSA_URL ?? 'http://localhost:9000' */
  url?: string
  /** A secret API key of a Medusa admin. @default process.env.MEDUSA_API_KEY */
  apiKey?: string
  /**
   * A file holding the secret API key, read when the key is first needed (`pnpm dev` writes it once
   * Medusa is up). Used when `apiKey` is unset. @default process.env.MEDUSA_API_KEY_FILE
   */
  apiKeyFile?: string
  /** How long one Medusa request may take. @default 15000 */
  timeoutMs?: number
  /** Access to product content; the host app maps its roles (the multi-tenant plugin adds tenant scoping). */
  access: ProductContentAccess
  /** pg-boss database. @default Payload's database URL */
  queueConnectionString?: string
  /** pg-boss schema; must be the one Medusa's subscriber sends to. @default 'pgboss' */
  queueSchema?: string
  /** Sync job retries before a job goes to the dead-letter queue, with exponential backoff from `retryDelaySeconds`. */
  retry?: { limit?: number; delaySeconds?: number }
  /** Run the sync workers inside this process (dev). Production runs them in `pnpm worker`. */
  worker?: { inProcess?: boolean }
  /**
   * Told of each order placed in Medusa, for the tenant of its sales channel (outgoing webhooks: the CMS
   * passes `emitWebhookEvent`, so this plugin does not depend on connectors). @default undefined (orders
   * are logged and dropped)
   */
  onOrderPlaced?: OrderPlacedHook
}

export interface ResolvedMedusaConfig {
  enabled: boolean
  url: string
  apiKey: string | undefined
  apiKeyFile: string | undefined
  timeoutMs: number
  queueConnectionString: string | undefined
  queueSchema: string
  retry: { limit: number; delaySeconds: number }
  worker: { inProcess: boolean }
  onOrderPlaced: OrderPlacedHook | undefined
}
