/**
 * The portal against real parts: its production build (cached under `.next-e2e` by a hash of the
 * sources, so an unchanged portal starts in a second), `next start` on a free port, and Payload served
 * over HTTP from the CMS test harness (`servePayloadRest`: the real REST route handlers, streamed so the
 * runs' server-sent events flow through).
 */
import path from 'node:path'
import { nextApp } from '@bizosaas/scripts/next-app'

export { servePayloadRest } from '@bizosaas/cms/test'
export { E2E_DIST_DIR } from '@bizosaas/scripts/next-app'

export const portalDir = path.resolve(import.meta.dirname, '..')
const app = nextApp({ dir: portalDir, distDirEnv: 'PORTAL_DIST_DIR' })

/** `next build` unless the last build was of the same sources. Returns seconds spent (0 when cached). */
export const buildPortal = (): Promise<number> => app.build()

export interface RunningPortal {
  url: string
  /** The `next start` process, leader of its own process group (`process.kill(-pid)` stops it at once). */
  pid: number | undefined
  output(): string
  stop(): Promise<void>
}

/** Starts the built portal; PORTAL_URL (required in production) defaults to the address it serves on. */
export async function startPortal(env: Record<string, string>, port: number): Promise<RunningPortal> {
  const running = await app.start({
    env: { PORTAL_URL: `http://127.0.0.1:${port}`, ...env },
    port,
    hostname: '127.0.0.1',
    ready: { path: '/sign-in' },
  })
  return { url: `http://127.0.0.1:${port}`, ...running }
}
