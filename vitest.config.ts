import { defineConfig } from 'vitest/config'

// One run over every package. Each package keeps its own vitest.config.ts (a "project");
// the shared PostgreSQL server is started once here for all of them.
export default defineConfig({
  test: {
    projects: [
      'scripts/vitest.config.ts',
      'cms/vitest.config.ts',
      'agents/vitest.config.ts',
      'observability/vitest.config.ts',
      'plugins/*/vitest.config.ts',
      'portal/vitest.config.ts',
      'commerce/vitest.config.mts',
      'storefront/vitest.config.ts',
      'deploy/vitest.config.ts',
    ],
    globalSetup: ['./scripts/test/global-setup.ts'],
  },
})
