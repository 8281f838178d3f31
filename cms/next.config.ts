import path from 'node:path'
import { withPayload } from '@payloadcms/next/withPayload'
import type { NextConfig } from 'next'
import { cmsHeaderOptions, contentSecurityPolicy, staticSecurityHeaders } from './src/security-headers.ts'

const nextConfig: NextConfig = {
  // A second dev server (the smoke test) builds into its own folder instead of fighting over .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Production runs `node <distDir>/standalone/<app>/server.js` (`pnpm start`, containers): only the files
  // the server needs, traced from the workspace root so the pnpm-linked workspace packages come along.
  output: 'standalone',
  outputFileTracingRoot: path.resolve(import.meta.dirname, '..'),
  // The CMS has no public site of its own: send visitors to the admin.
  async redirects() {
    return [{ source: '/', destination: '/admin', permanent: false }]
  },
  // Workspace packages ship TypeScript sources.
  transpilePackages: [
    '@bizosaas/agents',
    '@bizosaas/plugin-agents',
    '@bizosaas/plugin-content-agents',
    '@bizosaas/observability',
  ],
  // Google's SDKs (the connectors' Search Console and GA4 clients) read their protos from disk at run time:
  // they load from node_modules (traced into the standalone output), never from a bundle.
  serverExternalPackages: [
    'google-gax',
    'google-auth-library',
    '@google-analytics/data',
    '@google-analytics/admin',
    '@googleapis/searchconsole',
  ],
  poweredByHeader: false,
  // nosniff, Referrer-Policy, no framing and HSTS (production) everywhere; admin pages get their CSP
  // (with a nonce) from src/proxy.ts, everything else (API, media files) one that lets nothing run.
  async headers() {
    const options = cmsHeaderOptions()
    return [
      { source: '/:path*', headers: staticSecurityHeaders(options) },
      {
        // (Not the admin; not the dev-only GraphQL playground, which Payload turns off in production.)
        source: '/((?!admin|api/graphql-playground).*)',
        headers: [{ key: 'Content-Security-Policy', value: contentSecurityPolicy(options) }],
      },
    ]
  },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
