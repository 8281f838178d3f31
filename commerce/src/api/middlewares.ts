/**
 * HTTP middlewares.
 *
 * Uploads from the local file provider live in COMMERCE_UPLOAD_DIR (under DATA_DIR, not inside the
 * app), and Medusa only serves `<app>/static` by itself, so we serve that folder at `/static` too:
 * product image URLs point at this server.
 *
 * Our admin routes validate their input here with zod (Medusa's copy, which its error handler knows),
 * so a bad request is a 400 naming the field before the route runs.
 */
import {
  defineMiddlewares,
  type MedusaNextFunction,
  type MedusaRequest,
  type MedusaResponse,
  validateAndTransformBody,
} from '@medusajs/framework/http'
import { MedusaError } from '@medusajs/framework/utils'
import type { z } from '@medusajs/framework/zod'
import express from 'express'
import { readCommerceEnv } from '../env'
import { PostTenantStorefrontBody, TenantSlugParams } from './admin/bizosaas/tenants/[slug]/storefront/validators'

const { uploadDir } = readCommerceEnv()

/** Checks the route's path parameters against `schema` (Medusa validates bodies and queries only). */
function validateParams(schema: z.ZodType) {
  return (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    const parsed = schema.safeParse(req.params)
    if (parsed.success) return next()
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    next(new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid request: ${problems.join('; ')}`))
  }
}

export default defineMiddlewares({
  routes: [
    { matcher: '/static', middlewares: [express.static(uploadDir, { fallthrough: true, index: false })] },
    {
      matcher: '/admin/bizosaas/tenants/:slug/storefront',
      methods: ['POST'],
      middlewares: [validateParams(TenantSlugParams), validateAndTransformBody(PostTenantStorefrontBody)],
    },
  ],
})
