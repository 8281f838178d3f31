/**
 * The storefront's health (@bizosaas/contracts/health): liveness is the process; readiness is whether
 * the two services every page reads answer — Payload (its own readiness, `/api/health`) and Medusa
 * (`/health`) — asked with short timeouts and at most once per READINESS_CACHE_MS however many probes come.
 */
import { cachedChecks, checkUrl, type HealthCheck, readinessResponse } from '@bizosaas/contracts/health'
import { storefrontEnv } from '@lib/env'
import storefrontPackage from '../package.json' with { type: 'json' }

export const STOREFRONT_SERVICE = { service: 'storefront', version: storefrontPackage.version }

const store = globalThis as typeof globalThis & { __storefrontReadiness?: () => Promise<Record<string, HealthCheck>> }

function checks() {
  if (!store.__storefrontReadiness) {
    const env = storefrontEnv()
    store.__storefrontReadiness = cachedChecks({
      cms: () => checkUrl(`${env.CMS_URL}/api/health`),
      medusa: () => checkUrl(`${env.MEDUSA_URL}/health`),
    })
  }
  return store.__storefrontReadiness()
}

/** `GET /api/health` and `/api/health/ready`: 200 when the CMS and Medusa answer, 503 otherwise. */
export async function storefrontReadiness(): Promise<Response> {
  return readinessResponse(STOREFRONT_SERVICE, await checks())
}
