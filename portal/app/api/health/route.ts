/** GET /api/health — readiness (lib/health.ts): the CMS answers. No session needed (proxy.ts lets /api/ through). */
import { portalReadiness } from '@lib/health'

export const dynamic = 'force-dynamic'

export const GET = () => portalReadiness()
