import path from 'node:path'
import type { NextConfig } from 'next'
import { contentSecurityPolicy, staticSecurityHeaders } from './lib/security-headers.ts'

/**
 * Product images come from Medusa's file module: its `/static/` files on MEDUSA_URL's host (any port in
 * development), plus any CDN or bucket named in STOREFRONT_IMAGE_HOSTS (comma-separated origins). Next
 * resizes them to the sizes a page asks for and serves WebP/AVIF; nothing else can be fetched through it.
 */
function productImagePatterns(): NonNullable<NonNullable<NextConfig['images']>['remotePatterns']> {
  const medusa = new URL(process.env.MEDUSA_URL || 'http://localhost:9000')
  const local = ['localhost', '127.0.0.1'].includes(medusa.hostname)
  const patterns: NonNullable<NonNullable<NextConfig['images']>['remotePatterns']> = [
    {
      protocol: medusa.protocol.replace(':', '') as 'http' | 'https',
      hostname: medusa.hostname,
      ...(local ? {} : { port: medusa.port }),
      pathname: '/static/**',
    },
  ]
  for (const origin of (process.env.STOREFRONT_IMAGE_HOSTS ?? '').split(',').filter(Boolean)) {
    const url = new URL(origin.trim())
    patterns.push({
      protocol: url.protocol.replace(':', '') as 'http' | 'https',
      hostname: url.hostname,
      port: url.port,
      pathname: `${url.pathname.replace(/\/$/, '')}/**`,
    })
  }
  return patterns
}

const config: NextConfig = {
  // The e2e suite builds into its own folder (keyed by a hash of the sources) so a developer's `next dev`
  // and the cached test build never overwrite each other.
  distDir: process.env.STOREFRONT_DIST_DIR || '.next',
  // Production runs `node <distDir>/standalone/<app>/server.js` (`pnpm start`, containers): only the files
  // the server needs, traced from the workspace root so the pnpm-linked workspace packages come along.
  output: 'standalone',
  outputFileTracingRoot: path.resolve(import.meta.dirname, '..'),
  poweredByHeader: false,
  // Workspace packages ship TypeScript sources.
  transpilePackages: ['@bizosaas/plugin-rate-limit', '@bizosaas/observability'],
  reactStrictMode: true,
  // HSTS (production), nosniff, Referrer-Policy, no framing everywhere (lib/security-headers.ts); pages
  // get their CSP from proxy.ts at run time, the API one that lets nothing run.
  async headers() {
    const dev = process.env.NODE_ENV !== 'production'
    return [
      { source: '/:path*', headers: staticSecurityHeaders({ dev }) },
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ]
  },
  images: {
    remotePatterns: productImagePatterns(),
    formats: ['image/avif', 'image/webp'],
    // Widths a srcset offers: phones to desktop at up to 2× (Next's default adds 2048 and 3840, which only
    // lengthen every srcset in the page and its RSC payload), and the small sizes thumbnails and cards use.
    deviceSizes: [640, 750, 828, 1080, 1200, 1920],
    imageSizes: [128, 256, 384],
    // Medusa usually runs beside the shop on a private address; only its /static/ files are allowed above.
    dangerouslyAllowLocalIP: true,
    minimumCacheTTL: 3600,
    // Payload media (logo, hero, post images) are served already sized through /media/<file>.
    localPatterns: [],
  },
}

export default config
