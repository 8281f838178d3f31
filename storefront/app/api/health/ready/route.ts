/** GET /api/health/ready — the readiness probe's alias of /api/health (lib/health.ts). */
import { storefrontReadiness } from '@lib/health'

export const dynamic = 'force-dynamic'

export const GET = () => storefrontReadiness()
