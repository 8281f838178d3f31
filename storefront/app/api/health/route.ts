/** GET /api/health — readiness (lib/health.ts): the CMS and Medusa answer. No tenant, no session. */
import { storefrontReadiness } from '@lib/health'

export const dynamic = 'force-dynamic'

export const GET = () => storefrontReadiness()
