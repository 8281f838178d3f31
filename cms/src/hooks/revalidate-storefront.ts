/**
 * Content changes → the storefront's cache: after a tenant, page, post or media document changes (or is
 * deleted), the storefront's `POST /api/revalidate` is called with the tags its pages are cached under
 * (`tenants`, `pages:<tenant>`, `posts:<tenant>`, `media:<tenant>`); the call is @bizosaas/contracts/storefront-revalidate. Unset STOREFRONT_URL or
 * REVALIDATE_SECRET: nothing is sent. The call never blocks or fails the editor's save; a failure is
 * logged (the storefront also refreshes hourly). `req.context.revalidateStorefront === false` skips it.
 */
import { revalidateRequest } from '@bizosaas/contracts/storefront-revalidate'
import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, Config, PayloadRequest } from 'payload'

type Id = number | string
type Doc = { id: Id; slug?: string; tenant?: Id | { id: Id; slug?: string } | null }

async function tagsFor(collection: string, doc: Doc, req: PayloadRequest): Promise<string[]> {
  if (collection === 'tenants') return ['tenants']
  const tenant = doc.tenant
  if (tenant == null) return []
  let slug = typeof tenant === 'object' ? tenant.slug : undefined
  if (!slug) {
    const id = typeof tenant === 'object' ? tenant.id : tenant
    const found = await req.payload
      .findByID({ collection: 'tenants', id, depth: 0, overrideAccess: true, req })
      .catch(() => null)
    slug = (found as { slug?: string } | null)?.slug
  }
  return slug ? [`${collection}:${slug}`] : []
}

// An unreachable storefront (not started yet, e.g. during the seed) is reported once a minute, not per save.
let lastWarningAt = 0
function warnSometimes(req: PayloadRequest, message: string) {
  if (Date.now() - lastWarningAt < 60_000) return
  lastWarningAt = Date.now()
  req.payload.logger.warn(message)
}

async function send(collection: string, doc: Doc, req: PayloadRequest): Promise<void> {
  const url = process.env.STOREFRONT_URL
  const secret = process.env.REVALIDATE_SECRET
  if (!url || !secret || req.context?.revalidateStorefront === false) return
  const tags = await tagsFor(collection, doc, req)
  if (!tags.length) return
  // Not awaited: the save returns at once; the storefront usually has the change within a second.
  const request = revalidateRequest(url, secret, tags)
  void fetch(request.url, { ...request.init, signal: AbortSignal.timeout(5_000) })
    .then((res) => {
      if (!res.ok) warnSometimes(req, `storefront revalidation of ${tags.join(', ')} answered ${res.status}`)
    })
    .catch((error: Error) =>
      warnSometimes(req, `storefront revalidation of ${tags.join(', ')} failed: ${error.message}`),
    )
}

export const revalidateStorefrontAfterChange: CollectionAfterChangeHook = async ({ doc, req, collection }) => {
  await send(collection.slug, doc as Doc, req)
  return doc
}

export const revalidateStorefrontAfterDelete: CollectionAfterDeleteHook = async ({ doc, req, collection }) => {
  await send(collection.slug, doc as Doc, req)
  return doc
}

/** A collection's `hooks` block with both (fresh arrays, so plugins that push onto them stay per collection). */
export const revalidateStorefrontHooks = () => ({
  afterChange: [revalidateStorefrontAfterChange],
  afterDelete: [revalidateStorefrontAfterDelete],
})

/**
 * A config plugin adding both hooks to collections that plugins define (e.g. `product-content` from
 * plugins/medusa), after that plugin ran. A slug no plugin added is an error, not a silent no-op.
 */
export const revalidateStorefrontOn =
  (slugs: string[]) =>
  (config: Config): Config => {
    for (const slug of slugs) {
      const collection = config.collections?.find((c) => c.slug === slug)
      if (!collection) throw new Error(`revalidateStorefrontOn: no collection "${slug}" in the config`)
      collection.hooks = {
        ...collection.hooks,
        afterChange: [...(collection.hooks?.afterChange ?? []), revalidateStorefrontAfterChange],
        afterDelete: [...(collection.hooks?.afterDelete ?? []), revalidateStorefrontAfterDelete],
      }
    }
    return config
  }
