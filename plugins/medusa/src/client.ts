/**
 * A typed Medusa client for server code (the sync, agents, scripts): `@medusajs/js-sdk` authenticated
 * with a secret admin API key. Nothing here runs in a browser; the key never leaves the server.
 *
 *   const medusa = medusaClientOf(payload)
 *   const { product } = await medusa.admin.product.retrieve(id, { fields: '+sales_channels.id' })
 */
import { readFileSync } from 'node:fs'
import * as jsSdk from '@medusajs/js-sdk'
import type { Payload } from 'payload'
import { CONFIG_KEY } from './constants.ts'
import type { ResolvedMedusaConfig } from './types.ts'

// The package ships CommonJS beside an ESM build without `"type": "module"`: loaded as CommonJS (tsx in
// `payload run`, the worker) the class arrives as `default.default`, as ESM (Next, Vitest) as `default`.
const Medusa: typeof jsSdk.default =
  (jsSdk.default as unknown as { default?: typeof jsSdk.default }).default ?? jsSdk.default
export const FetchError = jsSdk.FetchError

export type MedusaClient = jsSdk.default
export type { HttpTypes } from '@medusajs/types'

export interface MedusaClientOptions {
  /** Base URL of the Medusa server, e.g. http://localhost:9000. */
  url: string
  /** A secret API key (`sk_…`) of a Medusa admin; made in Medusa's admin under Settings → Secret API keys. */
  apiKey: string
}

/** A js-sdk client that authenticates every admin request with the secret key and gives up after `timeoutMs`. */
export function createMedusaClient(options: MedusaClientOptions): MedusaClient {
  return new Medusa({
    baseUrl: options.url,
    apiKey: options.apiKey,
    // Server code keeps no session: the secret key goes with every request.
    auth: { type: 'jwt', jwtTokenStorageMethod: 'nostore' },
  })
}

/** `call` with a deadline: a hung Medusa fails the caller (a job then retries) instead of holding it forever. */
export async function withDeadline<T>(call: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MedusaTimeoutError(`Medusa did not answer ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    )
  })
  try {
    return await Promise.race([call, deadline])
  } finally {
    clearTimeout(timer)
  }
}

export class MedusaTimeoutError extends Error {
  override name = 'MedusaTimeoutError'
}

const clients = new WeakMap<Payload, MedusaClient>()

/** The resolved options of the Medusa plugin in this Payload; throws when the plugin is not installed. */
export function medusaConfigOf(
  payload: Payload | { config: { custom?: Record<string, unknown> } },
): ResolvedMedusaConfig {
  const config = (payload.config.custom as Record<string, unknown> | undefined)?.[CONFIG_KEY] as
    | ResolvedMedusaConfig
    | undefined
  if (!config) throw new Error('@bizosaas/plugin-medusa is not installed in this Payload config')
  return config
}

/** The Medusa client of this Payload (one per instance), configured by the plugin's options. */
export function medusaClientOf(payload: Payload): MedusaClient {
  let client = clients.get(payload)
  if (!client) {
    const config = medusaConfigOf(payload)
    const apiKey = medusaApiKey(config)
    if (!apiKey)
      throw new MedusaNotConfiguredError(
        config.apiKeyFile
          ? `Medusa's API key is not there yet: ${config.apiKeyFile} is missing or empty (pnpm dev writes it once Medusa is up)`
          : 'Medusa is not configured: set MEDUSA_API_KEY to a secret API key of a Medusa admin (and MEDUSA_URL if it is not http://localhost:9000)',
      )
    client = createMedusaClient({ url: config.url, apiKey })
    clients.set(payload, client)
  }
  return client
}

/** The secret API key: the option, else the key file's content (undefined while there is none). */
export function medusaApiKey(config: ResolvedMedusaConfig): string | undefined {
  if (config.apiKey) return config.apiKey
  if (!config.apiKeyFile) return undefined
  try {
    return readFileSync(config.apiKeyFile, 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/** Thrown when code needs Medusa but no API key is configured. */
export class MedusaNotConfiguredError extends Error {
  override name = 'MedusaNotConfiguredError'
}

/** The HTTP status of a failed js-sdk call (undefined when Medusa was not reached at all). */
export function medusaStatus(error: unknown): number | undefined {
  return error instanceof FetchError ? error.status : undefined
}
