import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'example-agent', include: ['src/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 240_000 },
})
