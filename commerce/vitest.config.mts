import { defineProject } from 'vitest/config'

// .mts: this package is CommonJS (as Medusa wants), the config is ESM.

export default defineProject({
  test: {
    name: 'commerce',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // The first file to run migrates and seeds the template database (~35 s on 2 cores) and every file
    // starts a Medusa server (~10 s).
    hookTimeout: 240_000,
  },
})
