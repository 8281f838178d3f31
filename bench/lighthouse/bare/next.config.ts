import type { NextConfig } from 'next'

const config: NextConfig = { poweredByHeader: false, distDir: '.next-bench' }

export default config
