/**
 * The CMS as this process sees it: every Payload read (pages' `cmsGet`, the proxy's host table, the
 * proxy's health probe) reports here, so the proxy knows when the content service is down or refuses
 * the storefront's API key, and the failure is logged once a minute however many requests meet it.
 * Kept on globalThis: the proxy and the pages are bundled separately but share the process.
 */
import { storefrontLogger } from '@lib/logger'

/** How often an outage is logged (one line, with the number of failures since the last line). */
export const LOG_EVERY_MS = 60_000

interface CmsHealth {
  /** When the current outage was first seen; null while the CMS answers. */
  failingSince: number | null
  lastReason: string
  lastLogAt: number
  /** Failures not logged since the last line. */
  unlogged: number
}

const store = globalThis as typeof globalThis & { __storefrontCmsHealth?: CmsHealth }
const health = (): CmsHealth =>
  (store.__storefrontCmsHealth ??= { failingSince: null, lastReason: '', lastLogAt: 0, unlogged: 0 })

/** A Payload read failed (unreachable, 401/403 for the API key, 5xx). `reason` must hold no secret. */
export function reportCmsFailure(reason: string, now = Date.now(), log: (line: string) => void = writeLog): void {
  const h = health()
  h.failingSince ??= now
  h.lastReason = reason
  h.unlogged++
  if (now - h.lastLogAt < LOG_EVERY_MS) return
  log(
    JSON.stringify({
      level: 'error',
      msg: 'storefront: the content service (Payload) is unavailable; serving cached pages, 503 for the rest',
      reason,
      since: new Date(h.failingSince).toISOString(),
      failures: h.unlogged,
    }),
  )
  h.lastLogAt = now
  h.unlogged = 0
}

/** A Payload read succeeded: the outage (if any) is over. */
export function reportCmsSuccess(now = Date.now(), log: (line: string) => void = writeLog): void {
  const h = health()
  if (h.failingSince === null) return
  log(
    JSON.stringify({
      level: 'info',
      msg: 'storefront: the content service answers again',
      down_seconds: Math.round((now - h.failingSince) / 1000),
    }),
  )
  h.failingSince = null
  h.unlogged = 0
  h.lastLogAt = 0
}

/** Writes one of the JSON lines above through the storefront's pino logger (level and message as given). */
function writeLog(line: string): void {
  const { level, msg, ...fields } = JSON.parse(line) as { level: 'error' | 'info'; msg: string }
  storefrontLogger()[level](fields, msg)
}

/** True while the last Payload read failed. */
export const cmsFailing = (): boolean => health().failingSince !== null

/** Whether a failed answer means the CMS (or our credential) is at fault rather than the request. */
export const isCmsFault = (status: number): boolean => status === 401 || status === 403 || status >= 500

/** Forget everything (tests). */
export function resetCmsHealth(): void {
  store.__storefrontCmsHealth = undefined
}

/** How often the proxy asks Payload whether it answers (in the background, never holding a request). */
export const PROBE_EVERY_MS = 5_000

const probes = globalThis as typeof globalThis & { __storefrontCmsProbe?: { at: number; running: boolean } }

/**
 * Ask Payload (with the storefront's key) for one tenant, unless that was done in the last
 * PROBE_EVERY_MS: reports the outcome, so an outage (or a revoked key) is noticed even while every
 * page comes from the cache, and its end is noticed without a shopper's request failing first.
 */
export function probeCmsInBackground(cmsUrl: string, apiKey: string | undefined, now = Date.now()): void {
  probes.__storefrontCmsProbe ??= { at: 0, running: false }
  const p = probes.__storefrontCmsProbe
  if (p.running || now - p.at < PROBE_EVERY_MS) return
  p.running = true
  p.at = now
  const headers: Record<string, string> = { accept: 'application/json' }
  if (apiKey) headers.authorization = `users API-Key ${apiKey}`
  fetch(`${cmsUrl}/api/tenants?limit=1&depth=0&select[slug]=true`, {
    headers,
    cache: 'no-store',
    signal: AbortSignal.timeout(3_000),
  })
    .then(async (res) => {
      await res.body?.cancel()
      if (res.ok) reportCmsSuccess()
      else if (isCmsFault(res.status)) reportCmsFailure(`the content service answered ${res.status}`)
    })
    .catch((error: Error) => reportCmsFailure(`the content service is unreachable (${error.message})`))
    .finally(() => {
      p.running = false
    })
}
