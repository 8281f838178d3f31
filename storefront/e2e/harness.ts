/**
 * The storefront against real parts: a production build of the app (`next build`, cached under
 * `.next-e2e` by a hash of the sources), `next start` on a free port, and Payload served over HTTP from
 * the CMS test harness (`servePayloadRest`: the real REST route handlers behind node:http).
 */
import http from 'node:http'
import path from 'node:path'
import { nextApp } from '@bizosaas/scripts/next-app'

export { servePayloadRest } from '@bizosaas/cms/test'
export { E2E_DIST_DIR } from '@bizosaas/scripts/next-app'

export const storefrontDir = path.resolve(import.meta.dirname, '..')
const app = nextApp({ dir: storefrontDir, distDirEnv: 'STOREFRONT_DIST_DIR' })

/** `next build` unless the last build was of the same sources. Returns seconds spent (0 when cached). */
export const buildStorefront = (): Promise<number> => app.build()

export interface RunningStorefront {
  port: number
  /** http://<slug>.localhost:<port> — Chromium resolves *.localhost to loopback. */
  urlFor(host: string): string
  output(): string
  stop(): Promise<void>
}

/**
 * What a running storefront caches on disk (rendered pages, Payload/Medusa responses, resized images):
 * cleared before each start, so a run never sees pages or data another run cached.
 */
const RUNTIME_CACHES = ['server/route-cache', 'cache/fetch-cache', 'cache/images']

export async function startStorefront(env: Record<string, string>, port: number): Promise<RunningStorefront> {
  const running = await app.start({
    env,
    port,
    ready: { path: '/api/revalidate', method: 'POST' },
    clearBeforeStart: RUNTIME_CACHES,
  })
  return { port, urlFor: (host) => `http://${host}:${port}`, output: running.output, stop: running.stop }
}

/** GET with any Host header (fetch cannot set one), following no redirects. */
export function getWithHost(
  port: number,
  host: string,
  pathAndQuery: string,
  cookie?: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const headers = cookie ? { host, cookie } : { host }
    const req = http.request({ host: '127.0.0.1', port, path: pathAndQuery, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}
