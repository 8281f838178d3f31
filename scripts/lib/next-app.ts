/**
 * A Next.js app of the workspace (cms, storefront, portal) as `pnpm start`, the e2e suites and the
 * benchmarks run it: one production build (`next build` with `output: 'standalone'` into `.next-e2e`,
 * skipped when the sources hash to the same value as the last build's, so an unchanged app starts in a
 * second) and its standalone server (`node .next-e2e/standalone/<app>/server.js`) on a given port, in
 * its own process group.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, rm } from 'node:fs/promises'
import path from 'node:path'
import { isFresh, sourceHash, writeStamp } from './build-cache.ts'
import { repoRoot } from './env.ts'

/** The build folder every production run shares (the name predates `pnpm start`; kept so caches stay valid). */
export const E2E_DIST_DIR = '.next-e2e'

export interface NextAppOptions {
  /** The app's folder. */
  dir: string
  /** The env variable its next.config.ts reads as `distDir` (set to `.next-e2e`). */
  distDirEnv: string
}

export interface StartOptions {
  env: Record<string, string | undefined>
  port: number
  /** Bind only this address (default: every address, as `next start` does). */
  hostname?: string
  /** Requested until it answers at all: the app is then up. */
  ready: { path: string; method?: string }
  /** Folders of the build (relative to it) emptied before the start: runtime caches of a previous run. */
  clearBeforeStart?: string[]
  /** `pipe` keeps the output (`output()`); a function gets each chunk instead. @default 'pipe' */
  output?: 'pipe' | ((chunk: string) => void)
  /** @default 60_000 */
  timeoutMs?: number
  /** Called when the server exits on its own (not through `stop`). */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void
  /** Called at once with a way to stop it, before it is up (a supervisor stopping mid-start needs it). */
  onSpawn?: (handle: { stop(): Promise<void> }) => void
}

export interface RunningNextApp {
  /** The server, leader of its own process group (`process.kill(-pid)` stops it at once). */
  pid: number | undefined
  output(): string
  stop(): Promise<void>
}

export function nextApp({ dir, distDirEnv }: NextAppOptions) {
  const nextBin = path.join(dir, 'node_modules/.bin/next')
  const dist = path.join(dir, E2E_DIST_DIR)
  /** The standalone copy of the app: `server.js` and its own `.next-e2e` with the server files. */
  const standaloneApp = path.join(dist, 'standalone', path.relative(repoRoot, dir))
  const server = path.join(standaloneApp, 'server.js')
  const baseEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    [distDirEnv]: E2E_DIST_DIR,
  })
  const stamp = path.join(dist, 'e2e-source-hash')

  /** Whether a build of the current sources exists. */
  async function isBuilt(): Promise<boolean> {
    return isFresh(stamp, await sourceHash(dir), server)
  }

  /** `next build` unless the last build was of the same sources. Returns seconds spent (0 when cached). */
  async function build(): Promise<number> {
    const hash = await sourceHash(dir)
    if (await isFresh(stamp, hash, server)) return 0
    const started = performance.now()
    await rm(stamp, { force: true })
    await new Promise<void>((resolve, reject) => {
      const child = spawn(nextBin, ['build'], { cwd: dir, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout.on('data', (d) => (output += d))
      child.stderr.on('data', (d) => (output += d))
      child.on('error', reject)
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`next build in ${dir} failed:\n${output.slice(-6000)}`)),
      )
    })
    // The standalone server serves `static/` and `public/` only when they sit beside it (Next leaves
    // copying them to the deployment, as a CDN may serve them instead).
    await cp(path.join(dist, 'static'), path.join(standaloneApp, E2E_DIST_DIR, 'static'), { recursive: true })
    if (existsSync(path.join(dir, 'public')))
      await cp(path.join(dir, 'public'), path.join(standaloneApp, 'public'), { recursive: true })
    await writeStamp(stamp, hash)
    return (performance.now() - started) / 1000
  }

  async function start(options: StartOptions): Promise<RunningNextApp> {
    // A build from before `output: 'standalone'` (e.g. an older checkout a benchmark compares with) has
    // no server.js: it is served by `next start`, as such builds always were.
    const standalone = existsSync(server)
    const runtimeDist = standalone ? path.join(standaloneApp, E2E_DIST_DIR) : dist
    for (const folder of options.clearBeforeStart ?? [])
      await rm(path.join(runtimeDist, folder), { recursive: true, force: true })
    const sink = options.output ?? 'pipe'
    const child = spawn(
      standalone ? process.execPath : nextBin,
      standalone
        ? [server]
        : ['start', '--port', String(options.port), ...(options.hostname ? ['--hostname', options.hostname] : [])],
      {
        cwd: standalone ? standaloneApp : dir,
        env: {
          ...baseEnv(),
          ...options.env,
          PORT: String(options.port),
          // server.js binds HOSTNAME, which shells and containers set to the machine's name.
          HOSTNAME: options.hostname ?? '0.0.0.0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    )
    let output = ''
    const take = (d: Buffer) => {
      if (typeof sink === 'function') sink(d.toString())
      else output += d
    }
    child.stdout?.on('data', take)
    child.stderr?.on('data', take)
    let stopping = false
    child.on('exit', (code, signal) => {
      if (!stopping) options.onExit?.(code, signal)
    })
    const stop = () => {
      stopping = true
      return stopGroup(child)
    }
    options.onSpawn?.({ stop })
    const deadline = Date.now() + (options.timeoutMs ?? 60_000)
    const host = options.hostname && options.hostname !== '0.0.0.0' ? options.hostname : '127.0.0.1'
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${path.relative(repoRoot, server)} exited:\n${output}`)
      try {
        await fetch(`http://${host}:${options.port}${options.ready.path}`, {
          method: options.ready.method ?? 'GET',
          signal: AbortSignal.timeout(10_000),
        })
        break
      } catch {
        if (Date.now() > deadline) {
          await stop()
          throw new Error(`${path.relative(repoRoot, server)} did not listen on ${options.port}:\n${output}`)
        }
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    return { pid: child.pid, output: () => output, stop }
  }

  return { build, isBuilt, start, server, dist }
}

/** SIGTERM to the process group, SIGKILL after 5 s; resolves when the leader has exited. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return
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
