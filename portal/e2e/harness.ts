/**
 * The portal against real parts: a production build (`next build`, cached under `.next-e2e` by a hash
 * of the sources, so an unchanged portal starts in a second), `next start` on a free port, and Payload
 * served over HTTP from the CMS test harness — the real REST route handlers of `@payloadcms/next/routes`
 * behind node:http, streamed so the runs' server-sent events flow through.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { SanitizedConfig } from 'payload'

export const portalDir = path.resolve(import.meta.dirname, '..')
const nextBin = path.join(portalDir, 'node_modules/.bin/next')
export const E2E_DIST_DIR = '.next-e2e'
const SOURCES = ['app', 'lib', 'modules', 'proxy.ts', 'next.config.ts', 'package.json', 'tsconfig.json']

async function sourceHash(): Promise<string> {
  const hash = createHash('sha1')
  for (const entry of SOURCES) {
    const full = path.join(portalDir, entry)
    const files = entry.includes('.')
      ? [full]
      : (await readdir(full, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
          .map((e) => path.join(e.parentPath, e.name))
          .sort()
    for (const file of files) hash.update(path.relative(portalDir, file)).update(await readFile(file))
  }
  return hash.digest('hex')
}

const baseEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  PORTAL_DIST_DIR: E2E_DIST_DIR,
})

/** `next build` unless the last build was of the same sources. Returns seconds spent (0 when cached). */
export async function buildPortal(): Promise<number> {
  const hash = await sourceHash()
  const dist = path.join(portalDir, E2E_DIST_DIR)
  const stamp = path.join(dist, 'e2e-source-hash')
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash && existsSync(path.join(dist, 'BUILD_ID'))) return 0
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn(nextBin, ['build'], { cwd: portalDir, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed:\n${output.slice(-6000)}`)),
    )
  })
  await writeFile(stamp, hash)
  return (performance.now() - started) / 1000
}

export interface RunningPortal {
  url: string
  /** The `next start` process, leader of its own process group (`process.kill(-pid)` stops it at once). */
  pid: number | undefined
  output(): string
  stop(): Promise<void>
}

export async function startPortal(env: Record<string, string>, port: number): Promise<RunningPortal> {
  const child = spawn(nextBin, ['start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: portalDir,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout?.on('data', (d) => (output += d))
  child.stderr?.on('data', (d) => (output += d))
  const stop = () => stopGroup(child)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`)
    try {
      await fetch(`${url}/sign-in`)
      break
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`next start did not listen on ${port}:\n${output}`)
      }
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  return { url, pid: child.pid, output: () => output, stop }
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

/** Payload's REST API over real HTTP, response bodies streamed (server-sent events included). */
export async function servePayloadRest(config: SanitizedConfig): Promise<{ url: string; close(): Promise<void> }> {
  const { REST_DELETE, REST_GET, REST_PATCH, REST_POST } = await import('@payloadcms/next/routes')
  const handlers: Record<string, Handler> = {
    GET: REST_GET(config) as Handler,
    POST: REST_POST(config) as Handler,
    PATCH: REST_PATCH(config) as Handler,
    DELETE: REST_DELETE(config) as Handler,
  }
  const server = http.createServer(async (req, res) => {
    const abort = new AbortController()
    res.on('close', () => abort.abort())
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
        signal: abort.signal,
      })
      const slug = url.pathname
        .replace(/^\/api\//, '')
        .split('/')
        .filter(Boolean)
        .map(decodeURIComponent)
      const response = await handler(request, { params: Promise.resolve({ slug }) })
      res.writeHead(response.status, Object.fromEntries(response.headers))
      if (!response.body) return void res.end()
      Readable.fromWeb(response.body as never)
        .on('error', () => res.destroy())
        .pipe(res)
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
