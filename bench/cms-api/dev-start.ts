/**
 * `pnpm dev` from the outside, as a user runs it: time to a healthy CMS, where that time goes (from
 * the lines it prints), the CMS's memory after start and after the admin login page, and Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { portInUse } from '@bizosaas/scripts/ports'
import { descendants, memoryOf, type ProcessInfo, processes } from './proc-memory.ts'

export interface DevStartOptions {
  cwd: string
  dataDir: string
  pgPort: number
  cmsPort: number
  /** NEXT_DIST_DIR, relative to cms/. */
  distDir: string
}

export interface Memory {
  cms: { rss: number; pss: number; processes: number }
  postgres: { rss: number; pss: number; processes: number }
}

export interface DevStartResult {
  /** `pnpm dev` spawned → first 200 from /api/health, in ms. */
  healthyMs: number
  /** What the banner says (measured inside scripts/dev.ts, so without pnpm's and tsx's start-up). */
  bannerSeconds?: number
  /** ms after spawn at which each step's first line appeared. */
  marks: Partial<Record<Mark, number>>
  /** What `next dev` says its own start took ("Ready in …"), in ms. */
  nextReadyMs?: number
  afterHealthy: Memory
  adminLoginMs: number
  adminStatus: number
  afterAdmin: Memory
  /** After SIGINT to the process group: every process of the tree gone and both ports free. */
  stop: { clean: boolean; ms: number; exit: string; leftover: string[] }
}

const MARKS = {
  postgres: /(initialising|starting) embedded PostgreSQL/,
  migrate: /applying migrations/,
  seed: /seeding demo data/,
  next: /▲ Next\.js/,
  ready: /Ready in/,
} as const
type Mark = keyof typeof MARKS

/** Whose argv names the Next.js CLI: the CMS (`next dev`), whose subtree holds its workers. */
const isNext = (p: ProcessInfo) => p.argv.some((a) => /(next[\\/]dist[\\/]bin[\\/]next|\.bin[\\/]next)$/.test(a))
const isPostmaster = (p: ProcessInfo) => /(^|[\\/])postgres$/.test(p.argv[0] ?? '')

function memoryOfTree(rootPid: number): Memory {
  const all = processes()
  const tree = descendants(rootPid, all)
  const sum = (root: ProcessInfo | undefined) => {
    const pids = root ? descendants(root.pid, all).map((p) => p.pid) : []
    return { ...memoryOf(pids), processes: pids.length }
  }
  return { cms: sum(tree.find(isNext)), postgres: sum(tree.find(isPostmaster)) }
}

async function waitFor(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pnpm dev exited (${child.exitCode}):\n${output().slice(-4000)}`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1_000, deadline - Date.now())) })
      await res.arrayBuffer()
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs / 1000} s:\n${output().slice(-4000)}`)
}

/** Ctrl-C: SIGINT to the whole process group, then waits (60 s at most) for the tree to be gone. */
async function interrupt(child: ChildProcess, exited: Promise<void>, options: DevStartOptions) {
  const tree = descendants(child.pid!)
  const started = performance.now()
  process.kill(-child.pid!, 'SIGINT')
  const deadline = Date.now() + 60_000
  await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))])
  const alive = () => {
    const now = new Set(processes().map((p) => p.pid))
    return tree.filter((p) => now.has(p.pid))
  }
  while (alive().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  const ms = Math.round(performance.now() - started)
  const leftover = alive().map((p) => `${p.pid} ${p.argv.join(' ').slice(0, 80)}`)
  const portsFree = !(await portInUse(options.cmsPort)) && !(await portInUse(options.pgPort, '127.0.0.1'))
  return {
    clean: leftover.length === 0 && portsFree,
    ms,
    exit: child.exitCode !== null ? `exit ${child.exitCode}` : `signal ${child.signalCode ?? 'none (still running)'}`,
    leftover,
  }
}

/** Starts `pnpm dev`, measures, and stops it with SIGINT to its process group (like Ctrl-C). */
export async function measureDevStart(options: DevStartOptions): Promise<DevStartResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: options.dataDir,
    EMBEDDED_POSTGRES_PORT: String(options.pgPort),
    CMS_PORT: String(options.cmsPort),
    NEXT_DIST_DIR: options.distDir,
  }
  for (const key of ['DATABASE_URL', 'PAYLOAD_SECRET', 'MEDIA_DIR', 'SEED', 'NODE_ENV']) delete env[key]

  const started = performance.now()
  const since = () => Math.round(performance.now() - started)
  const child = spawn('pnpm', ['dev'], { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  const marks: DevStartResult['marks'] = {}
  const onData = (data: Buffer) => {
    const text = data.toString()
    output += text
    for (const [mark, pattern] of Object.entries(MARKS) as [Mark, RegExp][])
      if (marks[mark] === undefined && pattern.test(text)) marks[mark] = since()
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const base = `http://127.0.0.1:${options.cmsPort}`
  let cmsPid: number | undefined

  try {
    await waitFor(`${base}/api/health`, child, () => output, 420_000)
    const healthyMs = since()
    const afterHealthy = memoryOfTree(child.pid!)
    cmsPid = descendants(child.pid!).find(isNext)?.pid

    const adminStarted = performance.now()
    const admin = await fetch(`${base}/admin/login`, { signal: AbortSignal.timeout(300_000) })
    await admin.arrayBuffer()
    const adminLoginMs = Math.round(performance.now() - adminStarted)
    const afterAdmin = memoryOfTree(child.pid!)
    // The banner comes right after the health check dev.ts itself waits for.
    for (let i = 0; i < 50 && !/healthy after/.test(output); i++) await new Promise((r) => setTimeout(r, 100))
    const banner = /healthy after ([\d.]+) s/.exec(output)

    const ready = /Ready in ([\d.]+)\s*(ms|s)/.exec(output)
    const stop = await interrupt(child, exited, options)
    return {
      healthyMs,
      bannerSeconds: banner ? Number(banner[1]) : undefined,
      marks,
      nextReadyMs: ready ? Number(ready[1]) * (ready[2] === 's' ? 1000 : 1) : undefined,
      afterHealthy,
      adminLoginMs,
      adminStatus: admin.status,
      afterAdmin,
      stop,
    }
  } finally {
    // Only if Ctrl-C did not do it: the groups of what this function started (pnpm's, and next's own).
    if (child.exitCode === null && child.signalCode === null) {
      for (const pid of [child.pid, cmsPid])
        if (pid)
          try {
            process.kill(-pid, 'SIGKILL')
          } catch {
            // already gone
          }
      await exited
    }
  }
}
