import { withPayload } from '@payloadcms/next/withPayload'
import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // The CMS has no public site of its own: send visitors to the admin.
  async redirects() {
    return [{ source: '/', destination: '/admin', permanent: false }]
  },
  // Workspace packages ship TypeScript sources.
  transpilePackages: ['@bizosaas/agents'],
  poweredByHeader: false,
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
