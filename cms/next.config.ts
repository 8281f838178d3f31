import { withPayload } from '@payloadcms/next/withPayload'
import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // A second dev server (the smoke test) builds into its own folder instead of fighting over .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The CMS has no public site of its own: send visitors to the admin.
  async redirects() {
    return [{ source: '/', destination: '/admin', permanent: false }]
  },
  // Workspace packages ship TypeScript sources.
  transpilePackages: ['@bizosaas/agents', '@bizosaas/plugin-agents', '@bizosaas/plugin-content-agents'],
  poweredByHeader: false,
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
