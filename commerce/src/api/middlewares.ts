/**
 * HTTP middlewares.
 *
 * Uploads from the local file provider live in COMMERCE_UPLOAD_DIR (under DATA_DIR, not inside the
 * app), and Medusa only serves `<app>/static` by itself, so we serve that folder at `/static` too:
 * product image URLs point at this server.
 *
 * Our admin routes validate their input here with zod (Medusa's copy, which its error handler knows),
 * so a bad request is a 400 naming the field before the route runs.
 *
 * Every request gets its `x-request-id` (the caller's — the storefront or the CMS passes one on — or a
 * new one) as `req.requestId`, which Medusa's JSON access log writes as `request_id`, and back on the
 * response.
 *
 * Medusa's own routes that change which products are in a sales channel from the channel's side emit
 * no product event, so the product-sync subscriber never sees them: the middlewares below queue the
 * CMS's sync of those products themselves, once the route has answered 2xx (src/subscribers/README.md).
 */

import { randomUUID } from 'node:crypto'
import {
  defineMiddlewares,
  type MedusaNextFunction,
  type MedusaRequest,
  type MedusaResponse,
  validateAndTransformBody,
} from '@medusajs/framework/http'
import type { Logger } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, MedusaError } from '@medusajs/framework/utils'
import type { z } from '@medusajs/framework/zod'
import express from 'express'
import { readCommerceEnv } from '../env'
import { queueProductSync } from '../lib/product-sync'
import { PostTenantStorefrontBody, TenantSlugParams } from './admin/bizosaas/tenants/[slug]/storefront/validators'

const { uploadDir } = readCommerceEnv()

const REQUEST_ID_HEADER = 'x-request-id'
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/** `req.requestId` from a usable `x-request-id`, else a new one; named on the response too. */
function requestId(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const given = req.headers[REQUEST_ID_HEADER]
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
  req.requestId = id
  res.setHeader(REQUEST_ID_HEADER, id)
  next()
}

/** Checks the route's path parameters against `schema` (Medusa validates bodies and queries only). */
function validateParams(schema: z.ZodType) {
  return (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    const parsed = schema.safeParse(req.params)
    if (parsed.success) return next()
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    next(new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid request: ${problems.join('; ')}`))
  }
}

/**
 * Once the response has gone out with a 2xx, queues an `updated` sync for the CMS of the products that
 * `productIds` names (read then, so after Medusa's validation). Neither delays nor changes the response:
 * the send runs after it, and a failure is only logged.
 */
function afterSuccessSyncProducts(productIds: (req: MedusaRequest) => Iterable<string>) {
  return (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    res.once('finish', () => {
      if (res.statusCode < 200 || res.statusCode >= 300) return
      const logger: Logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
      const cause = `${req.method} ${req.originalUrl.split('?')[0]}`
      let ids: string[]
      try {
        ids = [...productIds(req)]
      } catch (error) {
        logger.error(`[cms-queue] ${cause}: products not queued for the CMS: ${(error as Error).message}`)
        return
      }
      if (ids.length) void queueProductSync(logger, ids, 'updated', cause, new Date(), req.requestId)
    })
    next()
  }
}

/** `POST /admin/sales-channels/:id/products` adds and removes products (`linkProductsToSalesChannelWorkflow`). */
const syncLinkedProducts = afterSuccessSyncProducts((req) => {
  const body = (req.validatedBody ?? req.body ?? {}) as { add?: unknown; remove?: unknown }
  const ids = (list: unknown) => (Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [])
  return [...ids(body.add), ...ids(body.remove)]
})

/**
 * `DELETE /admin/sales-channels/:id` removes the channel's product links with it, so the channel's
 * products are read before the route runs (a failed read is logged and the request carries on).
 */
async function syncProductsOfDeletedChannel(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  let productIds: string[] = []
  try {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: 'product_sales_channel',
      fields: ['product_id'],
      filters: { sales_channel_id: req.params.id },
    })
    productIds = (data as { product_id: string }[]).map((link) => link.product_id)
  } catch (error) {
    const logger: Logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
    logger.error(
      `[cms-queue] DELETE /admin/sales-channels/${req.params.id}: could not read its products, so they will not be ` +
        `queued for the CMS: ${(error as Error).message}. Run the CMS product re-sync after the delete.`,
    )
  }
  afterSuccessSyncProducts(() => productIds)(req, res, next)
}

export default defineMiddlewares({
  routes: [
    { matcher: '/*', middlewares: [requestId] },
    { matcher: '/static', middlewares: [express.static(uploadDir, { fallthrough: true, index: false })] },
    {
      matcher: '/admin/bizosaas/tenants/:slug/storefront',
      methods: ['POST'],
      middlewares: [validateParams(TenantSlugParams), validateAndTransformBody(PostTenantStorefrontBody)],
    },
    { matcher: '/admin/sales-channels/:id/products', methods: ['POST'], middlewares: [syncLinkedProducts] },
    { matcher: '/admin/sales-channels/:id', methods: ['DELETE'], middlewares: [syncProductsOfDeletedChannel] },
  ],
})
