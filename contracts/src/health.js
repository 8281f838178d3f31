// The health contract every BizOSaaS web service answers (issue #18): liveness at `/api/health/live`,
// readiness at `/api/health` (alias `/api/health/ready`), JSON with `cache-control: no-store`. Served by
// cms/src/endpoints/health.ts, storefront/app/api/health and portal/app/api/health; read by `pnpm status`
// and the probes of docker-compose and the Helm chart. Types: health.d.ts.

/** Paths of the endpoints (Medusa has its own `GET /health`; workers serve `/health/live` and `/health/ready`). */
export const HEALTH_PATHS = Object.freeze({
  live: '/api/health/live',
  ready: '/api/health',
  readyAlias: '/api/health/ready',
})

/** How long a dependency may take before it counts as down. */
export const CHECK_TIMEOUT_MS = 2_000

/** How long a readiness result is reused, so probes cannot flood the services it asks. */
export const READINESS_CACHE_MS = 5_000

const NO_STORE = { 'cache-control': 'no-store' }

/**
 * The first line of an error's message with anything that looks like a URL's credentials removed, so a
 * check never shows a connection string or a password.
 * @param {unknown} error
 */
export function errorText(error) {
  const first = (/** @type {string} */ text) => text.split('\n')[0] ?? ''
  const text = error instanceof Error ? `${first(error.message)}${causeOf(error)}` : first(String(error))
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').slice(0, 200)
}

/** @param {Error} error */
function causeOf(error) {
  const cause = /** @type {{ cause?: { code?: string, message?: string } }} */ (error).cause
  return cause ? ` (${cause.code ?? (cause.message ?? 'unknown cause').split('\n')[0]})` : ''
}

/**
 * GETs `url` within `timeoutMs`: ok when it answers 2xx.
 * @param {string} url
 * @param {{ timeoutMs?: number, headers?: Record<string, string> }} [options]
 * @returns {Promise<import('./health.d.ts').HealthCheck>}
 */
export async function checkUrl(url, { timeoutMs = CHECK_TIMEOUT_MS, headers } = {}) {
  const started = performance.now()
  try {
    const res = await fetch(url, { headers, cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) })
    await res.body?.cancel()
    const latencyMs = Math.round(performance.now() - started)
    return res.ok ? { ok: true, latencyMs } : { ok: false, latencyMs, error: `answered ${res.status}` }
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started)
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    return { ok: false, latencyMs, error: timedOut ? `no answer within ${timeoutMs} ms` : errorText(error) }
  }
}

/**
 * Liveness: the process serves. Never touches a database or another service.
 * @param {{ service: string, version: string }} about
 */
export function livenessResponse({ service, version }) {
  return Response.json(
    { status: 'ok', service, version, uptimeSeconds: Math.round(process.uptime()) },
    { headers: NO_STORE },
  )
}

/**
 * Readiness from named checks: 200 when every check is ok, 503 otherwise.
 * @param {{ service: string, version: string }} about
 * @param {Record<string, import('./health.d.ts').HealthCheck>} checks
 */
export function readinessResponse({ service, version }, checks) {
  const ok = Object.values(checks).every((check) => check.ok)
  return Response.json(
    { status: ok ? 'ok' : 'unavailable', service, version, uptimeSeconds: Math.round(process.uptime()), checks },
    { status: ok ? 200 : 503, headers: NO_STORE },
  )
}

/**
 * Runs `checks` at most once per `cacheMs` (concurrent callers share one run), so a burst of probes
 * asks each dependency once.
 * @param {Record<string, () => Promise<import('./health.d.ts').HealthCheck>>} checks
 * @param {number} [cacheMs]
 */
export function cachedChecks(checks, cacheMs = READINESS_CACHE_MS) {
  /** @type {{ at: number, result: Promise<Record<string, import('./health.d.ts').HealthCheck>> } | undefined} */
  let last
  return () => {
    const now = Date.now()
    if (last && now - last.at < cacheMs) return last.result
    const result = Promise.all(
      Object.entries(checks).map(async ([name, check]) => /** @type {const} */ ([name, await check()])),
    ).then((entries) => Object.fromEntries(entries))
    last = { at: now, result }
    return result
  }
}
