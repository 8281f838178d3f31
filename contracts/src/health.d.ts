/** Paths of the endpoints (Medusa has its own `GET /health`; workers serve `/health/live` and `/health/ready`). */
export declare const HEALTH_PATHS: Readonly<{
  live: '/api/health/live'
  ready: '/api/health'
  readyAlias: '/api/health/ready'
}>

/** How long a dependency may take before it counts as down. */
export declare const CHECK_TIMEOUT_MS: 2000

/** How long a readiness result is reused, so probes cannot flood the services it asks. */
export declare const READINESS_CACHE_MS: 5000

/** One dependency as a readiness check saw it. */
export interface HealthCheck {
  ok: boolean
  latencyMs?: number
  /** Why it failed; never a connection string or a secret. */
  error?: string
}

/** The body of `GET /api/health/live`. */
export interface LivenessBody {
  status: 'ok'
  service: string
  version: string
  uptimeSeconds: number
}

/** The body of `GET /api/health` (200 when `status` is `ok`, 503 when `unavailable`). */
export interface ReadinessBody {
  status: 'ok' | 'unavailable'
  service: string
  version: string
  uptimeSeconds: number
  checks: Record<string, HealthCheck>
}

/** The first line of an error's message, with URL credentials masked. */
export declare function errorText(error: unknown): string

/** GETs `url` within `timeoutMs` (default CHECK_TIMEOUT_MS): ok when it answers 2xx. */
export declare function checkUrl(
  url: string,
  options?: { timeoutMs?: number; headers?: Record<string, string> },
): Promise<HealthCheck>

/** Liveness: 200 with the service, its version and uptime. */
export declare function livenessResponse(about: { service: string; version: string }): Response

/** Readiness from named checks: 200 when every check is ok, 503 otherwise. */
export declare function readinessResponse(
  about: { service: string; version: string },
  checks: Record<string, HealthCheck>,
): Response

/** Runs `checks` at most once per `cacheMs` (default READINESS_CACHE_MS); concurrent callers share one run. */
export declare function cachedChecks(
  checks: Record<string, () => Promise<HealthCheck>>,
  cacheMs?: number,
): () => Promise<Record<string, HealthCheck>>
