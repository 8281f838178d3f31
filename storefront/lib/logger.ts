/**
 * The storefront's server-side logger: pino JSON lines with `service: storefront` (LOG_LEVEL), from
 * @bizosaas/observability. One per process, on globalThis: the proxy and the pages are bundled apart.
 */
import { createLogger, type Logger } from '@bizosaas/observability/logger'

const store = globalThis as typeof globalThis & { __storefrontLogger?: Logger }

export function storefrontLogger(): Logger {
  store.__storefrontLogger ??= createLogger('storefront')
  return store.__storefrontLogger
}
