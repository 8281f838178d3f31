import path from 'node:path'
import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: {
    alias: {
      '@lib': path.resolve(import.meta.dirname, 'lib'),
      '@modules': path.resolve(import.meta.dirname, 'modules'),
      '@payload-config': path.resolve(import.meta.dirname, '../cms/src/payload.config.ts'),
    },
  },
  test: {
    name: 'portal',
    include: ['lib/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    // The e2e file builds the app (cached by a hash of its sources) while Payload starts.
    hookTimeout: 360_000,
  },
})
