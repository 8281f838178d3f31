import { z } from '@medusajs/framework/zod'

/** A tenant slug as the CMS makes them: lower-case words joined by single hyphens. */
export const TenantSlugParams = z.object({
  slug: z
    .string()
    .max(64, 'a tenant slug has at most 64 characters')
    .regex(
      /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
      'a tenant slug is lower-case letters and digits in words joined by single hyphens, like "coreldove" or "acme-shop"',
    ),
})

/** Body of POST /admin/bizosaas/tenants/:slug/storefront. */
export const PostTenantStorefrontBody = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(120, 'name has at most 120 characters'),
})
export type PostTenantStorefrontBody = z.infer<typeof PostTenantStorefrontBody>
