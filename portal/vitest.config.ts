import { createRequire } from 'node:module'
import path from 'node:path'
import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: {
    alias: {
      '@lib': path.resolve(import.meta.dirname, 'lib'),
      '@modules': path.resolve(import.meta.dirname, 'modules'),
      '@payload-config': createRequire(import.meta.url).resolve('@bizosaas/cms/payload-config'),
    },
  },
  test: {
    name: 'portal',
    include: ['lib/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    // The e2e file builds the app (cached by a hash of its sources) while Payload starts.
    hookTimeout: 360_000,
    // The e2e files share one build folder (.next-e2e): one file at a time, so only the first one builds.
    fileParallelism: false,
  },
})
