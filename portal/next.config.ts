import path from 'node:path'
import type { NextConfig } from 'next'
import { contentSecurityPolicy, portalHeaderOptions, staticSecurityHeaders } from './lib/security-headers.ts'

const config: NextConfig = {
  // The e2e suite builds into its own folder (keyed by a hash of the sources) so a developer's
  // `next dev` and the cached test build never overwrite each other.
  distDir: process.env.PORTAL_DIST_DIR || '.next',
  // Production runs `node <distDir>/standalone/<app>/server.js` (`pnpm start`, containers): only the files
  // the server needs, traced from the workspace root so the pnpm-linked workspace packages come along.
  output: 'standalone',
  outputFileTracingRoot: path.resolve(import.meta.dirname, '..'),
  poweredByHeader: false,
  // Workspace packages ship TypeScript sources.
  transpilePackages: ['@bizosaas/plugin-rate-limit', '@bizosaas/observability'],
  reactStrictMode: true,
  // nosniff, Referrer-Policy, no framing and HSTS (production) everywhere; pages get their CSP (with a
  // nonce) from proxy.ts, API routes (JSON, event streams) one that lets nothing run.
  async headers() {
    const options = portalHeaderOptions()
    return [
      { source: '/:path*', headers: staticSecurityHeaders(options) },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: contentSecurityPolicy(options) }] },
    ]
  },
}

export default config
