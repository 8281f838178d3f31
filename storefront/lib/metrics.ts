/**
 * The storefront's Prometheus metrics (@bizosaas/observability): route patterns of the shopper-facing
 * paths (before the proxy's tenant rewrite), so the latency histogram's `route` label never holds a
 * product handle, blog slug or order id. `/[...slug]` content pages fold into one route.
 */
export const STOREFRONT_SERVICE = 'storefront'

export const STOREFRONT_ROUTES = [
  '/',
  '/products/:handle',
  '/categories/:handle',
  '/collections/:handle',
  '/blog',
  '/blog/:slug',
  '/order/:id',
  '/media/:filename',
  '/account',
  '/cart',
  '/checkout',
  '/search',
  '/store',
  '/robots.txt',
  '/sitemap.xml',
  '/metrics',
  '/api/:rest*',
  '/_next/:rest*',
  '/:slug+',
]
