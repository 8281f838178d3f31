import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'social', include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 240_000 },
})
