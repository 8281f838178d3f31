/**
 * The production builds of the platform and where they are: the three Next apps (standalone output,
 * shared with the e2e suites through next-app.ts) and Medusa (`.medusa/server`). `pnpm build` and
 * `pnpm start` build what is missing or stale through `buildApps`, one app at a time.
 */
import path from 'node:path'
import { buildCommerce, commerceIsBuilt } from './commerce.ts'
import { repoRoot } from './env.ts'
import { nextApp } from './next-app.ts'

export const cmsApp = nextApp({ dir: path.join(repoRoot, 'cms'), distDirEnv: 'NEXT_DIST_DIR' })
export const storefrontApp = nextApp({ dir: path.join(repoRoot, 'storefront'), distDirEnv: 'STOREFRONT_DIST_DIR' })
export const portalApp = nextApp({ dir: path.join(repoRoot, 'portal'), distDirEnv: 'PORTAL_DIST_DIR' })

const builds = [
  { name: 'cms', isBuilt: cmsApp.isBuilt, build: cmsApp.build },
  { name: 'storefront', isBuilt: storefrontApp.isBuilt, build: storefrontApp.build },
  { name: 'portal', isBuilt: portalApp.isBuilt, build: portalApp.build },
  { name: 'commerce', isBuilt: commerceIsBuilt, build: buildCommerce },
]

export interface BuildAppsOptions {
  log?: (message: string) => void
}

/** Builds every app whose build is missing or stale, one after the other; returns seconds per app built. */
export async function buildApps({ log = () => {} }: BuildAppsOptions = {}): Promise<Record<string, number>> {
  const spent: Record<string, number> = {}
  for (const app of builds) {
    if (await app.isBuilt()) {
      log(`${app.name}: up to date`)
      continue
    }
    log(`${app.name}: building (sources changed since the last build)`)
    spent[app.name] = await app.build()
    log(`${app.name}: built in ${spent[app.name]!.toFixed(0)} s`)
  }
  return spent
}
