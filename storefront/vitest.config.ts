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
    name: 'storefront',
    include: ['lib/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    // The browser waits on server actions and re-renders; on a busy 2-core machine that can take seconds.
    expect: { poll: { timeout: 15_000, interval: 200 } },
    // The e2e file builds the app (cached by a hash of its sources) while Medusa and Payload start.
    hookTimeout: 420_000,
  },
})
