/** GET /api/health/ready — the readiness probe's alias of /api/health (lib/health.ts). */
import { portalReadiness } from '@lib/health'

export const dynamic = 'force-dynamic'

export const GET = () => portalReadiness()
