/**
 * POST /admin/bizosaas/tenants/:slug/storefront — the tenant's storefront in Medusa (sales channel,
 * publishable key, stock location), made if missing. Idempotent: the CMS calls it whenever a tenant
 * turns commerce on, and a repeated call returns the same ids with `created: false`.
 */
import type { AuthenticatedMedusaRequest, MedusaResponse } from '@medusajs/framework/http'
import {
  type LinkTenantStorefrontResult,
  linkTenantStorefrontWorkflow,
} from '../../../../../../workflows/tenants/workflows/link-tenant-storefront'
import type { PostTenantStorefrontBody } from './validators'

export async function POST(
  req: AuthenticatedMedusaRequest<PostTenantStorefrontBody>,
  res: MedusaResponse<LinkTenantStorefrontResult>,
) {
  const { result } = await linkTenantStorefrontWorkflow(req.scope).run({
    input: {
      slug: req.params.slug!,
      name: req.validatedBody.name,
      createdBy: req.auth_context.actor_type === 'user' ? req.auth_context.actor_id : undefined,
    },
  })
  res.status(200).json(result)
}
