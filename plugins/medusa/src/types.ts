import type { ProductContentAccess } from './collections/product-content.ts'

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
}
