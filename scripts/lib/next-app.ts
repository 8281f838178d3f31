/**
 * A Next.js app of the workspace (portal, storefront) as tests and benchmarks run it: a production build
 * (`next build` into `.next-e2e`, skipped when the sources hash to the same value as the last build's, so
 * an unchanged app starts in a second) and `next start` on a given port, in its own process group.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const E2E_DIST_DIR = '.next-e2e'
/** What a build depends on (files and folders of the app; `*.test.ts` left out). */
const SOURCES = ['app', 'lib', 'modules', 'proxy.ts', 'next.config.ts', 'package.json', 'tsconfig.json']

export interface NextAppOptions {
  /** The app's folder. */
  dir: string
  /** The env variable its next.config.ts reads as `distDir` (set to `.next-e2e`). */
  distDirEnv: string
}

export interface StartOptions {
  env: Record<string, string>
  port: number
  /** Bind only this address (default: every address, as `next start` does). */
  hostname?: string
  /** Requested until it answers at all: the app is then up. */
  ready: { path: string; method?: string }
  /** Folders of the build (relative to it) emptied before the start: runtime caches of a previous run. */
  clearBeforeStart?: string[]
}

export interface RunningNextApp {
  /** `next start`, leader of its own process group (`process.kill(-pid)` stops it at once). */
  pid: number | undefined
  output(): string
  stop(): Promise<void>
}

export function nextApp({ dir, distDirEnv }: NextAppOptions) {
  const nextBin = path.join(dir, 'node_modules/.bin/next')
  const dist = path.join(dir, E2E_DIST_DIR)
  const baseEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    [distDirEnv]: E2E_DIST_DIR,
  })

  async function sourceHash(): Promise<string> {
    const hash = createHash('sha1')
    for (const entry of SOURCES) {
      const full = path.join(dir, entry)
      const files = entry.includes('.')
        ? [full]
        : (await readdir(full, { recursive: true, withFileTypes: true }))
            .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
            .map((e) => path.join(e.parentPath, e.name))
            .sort()
      for (const file of files) hash.update(path.relative(dir, file)).update(await readFile(file))
    }
    return hash.digest('hex')
  }

  /** `next build` unless the last build was of the same sources. Returns seconds spent (0 when cached). */
  async function build(): Promise<number> {
    const hash = await sourceHash()
    const stamp = path.join(dist, 'e2e-source-hash')
    if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash && existsSync(path.join(dist, 'BUILD_ID')))
      return 0
    const started = performance.now()
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
    await writeFile(stamp, hash)
    return (performance.now() - started) / 1000
  }

  async function start(options: StartOptions): Promise<RunningNextApp> {
    for (const folder of options.clearBeforeStart ?? [])
      await rm(path.join(dist, folder), { recursive: true, force: true })
    const args = ['start', '--port', String(options.port)]
    if (options.hostname) args.push('--hostname', options.hostname)
    const child = spawn(nextBin, args, {
      cwd: dir,
      env: { ...baseEnv(), ...options.env },
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
        await fetch(`http://127.0.0.1:${options.port}${options.ready.path}`, { method: options.ready.method ?? 'GET' })
        break
      } catch {
        if (Date.now() > deadline) {
          await stop()
          throw new Error(`next start did not listen on ${options.port}:\n${output}`)
        }
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    return { pid: child.pid, output: () => output, stop }
  }

  return { build, start }
}

/** SIGTERM to the process group, SIGKILL after 5 s; resolves when the leader has exited. */
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
