/** GET /api/health/live — liveness: the process serves; touches no other service. */
import { livenessResponse } from '@bizosaas/contracts/health'
import { STOREFRONT_SERVICE } from '@lib/health'

export const dynamic = 'force-dynamic'

export const GET = () => livenessResponse(STOREFRONT_SERVICE)
