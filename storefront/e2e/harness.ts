/**
 * The storefront against real parts: a production build of the app (`next build`, cached under
 * `.next-e2e` by a hash of the sources), `next start` on a free port, and Payload served over HTTP from
 * the CMS test harness (the real REST route handlers of `@payloadcms/next/routes` behind node:http).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { SanitizedConfig } from 'payload'

export const storefrontDir = path.resolve(import.meta.dirname, '..')
const nextBin = path.join(storefrontDir, 'node_modules/.bin/next')
export const E2E_DIST_DIR = '.next-e2e'
const SOURCES = ['app', 'lib', 'modules', 'proxy.ts', 'next.config.ts', 'package.json', 'tsconfig.json']

async function sourceHash(): Promise<string> {
  const hash = createHash('sha1')
  for (const entry of SOURCES) {
    const full = path.join(storefrontDir, entry)
    const files = entry.includes('.')
      ? [full]
      : (await readdir(full, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
          .map((e) => path.join(e.parentPath, e.name))
          .sort()
    for (const file of files) hash.update(path.relative(storefrontDir, file)).update(await readFile(file))
  }
  return hash.digest('hex')
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: storefrontDir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${args.join(' ')} failed:\n${output.slice(-4000)}`)),
    )
  })
}

const baseEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  STOREFRONT_DIST_DIR: E2E_DIST_DIR,
})

/** `next build` unless the last build was of the same sources. Returns seconds spent (0 when cached). */
export async function buildStorefront(): Promise<number> {
  const hash = await sourceHash()
  const stamp = path.join(storefrontDir, E2E_DIST_DIR, 'e2e-source-hash')
  if (
    existsSync(stamp) &&
    (await readFile(stamp, 'utf8')) === hash &&
    existsSync(path.join(storefrontDir, E2E_DIST_DIR, 'BUILD_ID'))
  )
    return 0
  const started = performance.now()
  await run(nextBin, ['build'], baseEnv())
  await writeFile(stamp, hash)
  return (performance.now() - started) / 1000
}

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
  for (const dir of RUNTIME_CACHES)
    await rm(path.join(storefrontDir, E2E_DIST_DIR, dir), { recursive: true, force: true })
  const child = spawn(nextBin, ['start', '--port', String(port)], {
    cwd: storefrontDir,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout?.on('data', (d) => (output += d))
  child.stderr?.on('data', (d) => (output += d))
  const stop = () => stopGroup(child)
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`)
    try {
      await fetch(`http://127.0.0.1:${port}/api/revalidate`, { method: 'POST' })
      break
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`next start did not listen on ${port}:\n${output}`)
      }
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  return { port, urlFor: (host) => `http://${host}:${port}`, output: () => output, stop }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    return
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {}
  }, 5_000)
  await exited
  clearTimeout(timer)
}

type Handler = (req: Request, args: { params: Promise<{ slug: string[] }> }) => Promise<Response>

/** Payload's REST API (and its media files) over real HTTP, from the route handlers the CMS app serves. */
export async function servePayloadRest(config: SanitizedConfig): Promise<{ url: string; close(): Promise<void> }> {
  const { REST_DELETE, REST_GET, REST_PATCH, REST_POST } = await import('@payloadcms/next/routes')
  const handlers: Record<string, Handler> = {
    GET: REST_GET(config) as Handler,
    POST: REST_POST(config) as Handler,
    PATCH: REST_PATCH(config) as Handler,
    DELETE: REST_DELETE(config) as Handler,
  }
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const handler = handlers[req.method ?? 'GET']
      if (!handler || !url.pathname.startsWith('/api/')) {
        res.writeHead(404).end()
        return
      }
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
      const request = new Request(url, {
        method: req.method,
        headers,
        body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : Buffer.concat(chunks),
      })
      const slug = url.pathname
        .replace(/^\/api\//, '')
        .split('/')
        .filter(Boolean)
        .map(decodeURIComponent)
      const response = await handler(request, { params: Promise.resolve({ slug }) })
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(Buffer.from(await response.arrayBuffer()))
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        // Keep-alive connections from the storefront would hold close() open.
        server.closeAllConnections()
      }),
  }
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
