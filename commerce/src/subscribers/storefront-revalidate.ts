/**
 * Product changes → the storefront's cache: on product events Medusa calls the storefront's
 * `POST /api/revalidate` (bearer REVALIDATE_SECRET) with the `products` tag, so cached listings and
 * product pages refresh within seconds. Unset STOREFRONT_URL or REVALIDATE_SECRET: nothing is sent.
 * A failed call is logged, never retried: the pages also refresh on their own timer.
 */
import type { SubscriberArgs, SubscriberConfig } from '@medusajs/framework'
import type { Logger } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, ProductWorkflowEvents } from '@medusajs/framework/utils'

// An unreachable storefront (not started yet, e.g. during the seed) is reported once a minute, not per event.
let lastWarningAt = 0
function warnSometimes(logger: Logger, message: string) {
  if (Date.now() - lastWarningAt < 60_000) return
  lastWarningAt = Date.now()
  logger.warn(message)
}

export default async function storefrontRevalidateHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const url = process.env.STOREFRONT_URL
  const secret = process.env.REVALIDATE_SECRET
  if (!url || !secret) return
  const logger: Logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    // The call is the storefront's contract (@bizosaas/contracts, an ES module: loaded with import()).
    const { revalidateRequest } = await import('@bizosaas/contracts/storefront-revalidate')
    const request = revalidateRequest(url, secret, ['products'])
    const res = await fetch(request.url, { ...request.init, signal: AbortSignal.timeout(5_000) })
    if (!res.ok) warnSometimes(logger, `storefront revalidation after ${event.name} answered ${res.status}`)
  } catch (error) {
    warnSometimes(logger, `storefront revalidation after ${event.name} failed: ${(error as Error).message}`)
  }
}

export const config: SubscriberConfig = {
  event: [ProductWorkflowEvents.CREATED, ProductWorkflowEvents.UPDATED, ProductWorkflowEvents.DELETED],
  context: { subscriberId: 'bizosaas-storefront-revalidate' },
}
