/**
 * `pnpm build`: the production build of every app — CMS, storefront, portal (Next standalone output in
 * `.next-e2e`) and Medusa (`.medusa/server`) — one at a time (each takes 1–2 GB), each skipped when its
 * sources hash to the last build's. `pnpm start`, the e2e suites and CI share these builds.
 */
import { buildApps } from './lib/production.ts'

try {
  await buildApps({ log: (m) => console.log(`[build] ${m}`) })
} catch (error) {
  console.error(`[build] ${(error as Error).message}`)
  process.exitCode = 1
}
