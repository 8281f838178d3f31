/**
 * The portal's health (@bizosaas/contracts/health): liveness is the process; readiness is whether the
 * CMS it signs in against answers (its own readiness, `/api/health`), asked with a short timeout and at
 * most once per READINESS_CACHE_MS however many probes come.
 */
import { cachedChecks, checkUrl, type HealthCheck, readinessResponse } from '@bizosaas/contracts/health'
import { portalEnv } from '@lib/env'
import portalPackage from '../package.json' with { type: 'json' }

export const PORTAL_SERVICE = { service: 'portal', version: portalPackage.version }

const store = globalThis as typeof globalThis & { __portalReadiness?: () => Promise<Record<string, HealthCheck>> }

/** `GET /api/health` and `/api/health/ready`: 200 when the CMS answers, 503 otherwise. */
export async function portalReadiness(): Promise<Response> {
  store.__portalReadiness ??= cachedChecks({
    cms: () => checkUrl(`${portalEnv().CMS_URL.replace(/\/+$/, '')}/api/health`),
  })
  return readinessResponse(PORTAL_SERVICE, await store.__portalReadiness())
}
