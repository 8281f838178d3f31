import type { NextConfig } from 'next'

const config: NextConfig = {
  // The e2e suite builds into its own folder (keyed by a hash of the sources) so a developer's
  // `next dev` and the cached test build never overwrite each other.
  distDir: process.env.PORTAL_DIST_DIR || '.next',
  poweredByHeader: false,
  // Workspace packages ship TypeScript sources.
  transpilePackages: ['@bizosaas/plugin-rate-limit'],
  reactStrictMode: true,
}

export default config
