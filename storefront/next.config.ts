import type { NextConfig } from 'next'

const config: NextConfig = {
  // The e2e suite builds into its own folder (keyed by a hash of the sources) so a developer's `next dev`
  // and the cached test build never overwrite each other.
  distDir: process.env.STOREFRONT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // Medusa product images are served by Medusa itself (any host/port); they are rendered as plain
  // <img> with fixed width/height, so no image optimiser is involved.
  images: { unoptimized: true },
}

export default config
