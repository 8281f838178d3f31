/**
 * An optional second storefront in the same run: `BENCH_BASELINE_STOREFRONT` names the `storefront`
 * folder of another checkout (e.g. a `git worktree` of main) whose e2e build (`.next-e2e`, made by its own
 * `buildStorefront`) is started beside this one, so "before" and "after" are measured side by side.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { E2E_DIST_DIR, nextApp } from '@bizosaas/scripts/next-app'

export interface RunningBaseline {
  label: string
  port: number
  stop(): Promise<void>
}

/** Starts the baseline build on `port`, or returns null when BENCH_BASELINE_STOREFRONT is unset. */
export async function startBaselineStorefront(
  env: Record<string, string>,
  port: number,
): Promise<RunningBaseline | null> {
  const dir = process.env.BENCH_BASELINE_STOREFRONT
  if (!dir) return null
  if (!existsSync(path.join(dir, E2E_DIST_DIR, 'BUILD_ID')))
    throw new Error(`BENCH_BASELINE_STOREFRONT=${dir} has no ${E2E_DIST_DIR} build: run its buildStorefront() first`)
  const running = await nextApp({ dir, distDirEnv: 'STOREFRONT_DIST_DIR' }).start({
    env,
    port,
    ready: { path: '/api/revalidate', method: 'POST' },
    clearBeforeStart: ['server/route-cache', 'cache/fetch-cache', 'cache/images'],
  })
  return { label: process.env.BENCH_BASELINE_LABEL ?? 'baseline', port, stop: running.stop }
}
