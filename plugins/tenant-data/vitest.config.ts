import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'tenant-data', include: ['src/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 240_000 },
})
