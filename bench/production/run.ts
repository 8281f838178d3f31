/**
 * `pnpm bench:production`: the production stack (`pnpm start`, already built) beside the development
 * stack (`pnpm dev`) in one run, each on free ports and a fresh DATA_DIR: time from the command to
 * every service healthy (a first start that seeds, then a second start of the same data), and the
 * memory (RSS summed over the whole process tree) idle and under a light load. Target: production
 * ≤ 2.5 GB. Not a test; numbers from a shared machine vary.
 *
 *   BENCH_LOAD_SECONDS=20 BENCH_CONCURRENCY=4 pnpm bench:production
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readlinkSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { repoRoot } from '@bizosaas/scripts/env'
import { freePort } from '@bizosaas/scripts/ports'
import { type ProcessInfo, processTree, treePss } from '@bizosaas/scripts/process-tree'
import { buildApps } from '@bizosaas/scripts/production'

const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const TARGET_BYTES = 2.5 * 1024 ** 3
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`

interface Stack {
  child: ChildProcess
  output: () => string
  ports: Record<string, number>
  exited: Promise<number | null>
}

async function launch(command: 'start' | 'dev', dataDir: string, ports: Record<string, number>): Promise<Stack> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir }
  for (const [key, port] of Object.entries(ports)) env[key] = String(port)
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'MOCK_LLM_URL'])
    delete env[key]
  // `pnpm dev` builds into its own folders here, so a developer's `.next` is left alone.
  if (command === 'dev')
    Object.assign(env, {
      NEXT_DIST_DIR: '.next-bench-dev',
      STOREFRONT_DIST_DIR: '.next-bench-dev',
      PORTAL_DIST_DIR: '.next-bench-dev',
    })
  const child = spawn('pnpm', [command], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { child, output: () => output, ports, exited }
}

async function untilHealthy(stack: Stack, timeoutMs = 1_200_000): Promise<number> {
  const started = performance.now()
  const deadline = Date.now() + timeoutMs
  while (!/BizOSaaS (\(production build\) )?is running/.test(stack.output())) {
    if (stack.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the stack did not come up; its output ends:\n${stack.output().slice(-4000)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return (performance.now() - started) / 1000
}

async function stop(stack: Stack) {
  process.kill(-stack.child.pid!, 'SIGINT')
  await stack.exited
}

/** GET with a Host header (the storefront picks the tenant by it). */
function get(port: number, pathAndQuery: string, host = 'localhost'): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathAndQuery, headers: { host } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', () => resolve(0))
    req.setTimeout(60_000, () => req.destroy())
  })
}

/** What a light load asks for: shop pages, the CMS API, the portal's sign-in, Medusa's store API. */
function requests(ports: Record<string, number>): (() => Promise<number>)[] {
  const shop = `coreldove.localhost:${ports.STOREFRONT_PORT}`
  return [
    () => get(ports.STOREFRONT_PORT!, '/', shop),
    () => get(ports.STOREFRONT_PORT!, '/products/fjord-opal-pendant', shop),
    () => get(ports.CMS_PORT!, '/api/posts?limit=10&depth=0'),
    () => get(ports.CMS_PORT!, '/api/health'),
    () => get(ports.PORTAL_PORT!, '/sign-in'),
    () => get(ports.COMMERCE_PORT!, '/health'),
  ]
}

const rssOf = (stack: Stack) => processTree(stack.child.pid!).reduce((sum, p) => sum + p.rss, 0)

/** RSS per kind of process, to see where the memory goes. Next renames its servers ("next-server (v…)"), so
 * those are told apart by their working directory. */
function breakdown(stack: Stack): Record<string, number> {
  const kinds: [string, RegExp][] = [
    ['postgres', /postgres/],
    ['redis', /redis-server/],
    ['medusa', /medusa/],
    ['workers', /src\/worker\.ts/],
    ['cms', /\/cms(\/|$)/],
    ['storefront', /\/storefront(\/|$)/],
    ['portal', /\/portal(\/|$)/],
  ]
  const sums: Record<string, number> = {}
  for (const p of processTree(stack.child.pid!) as ProcessInfo[]) {
    const where = `${p.command} ${cwdOf(p.pid)}`
    const kind = kinds.find(([, re]) => re.test(where))?.[0] ?? 'other (pnpm, tsx, mock LLM)'
    sums[kind] = (sums[kind] ?? 0) + p.rss
  }
  return sums
}

function cwdOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`)
  } catch {
    return ''
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function measure(stack: Stack) {
  await new Promise((r) => setTimeout(r, 10_000))
  const idle: number[] = []
  const idlePss: number[] = []
  for (let i = 0; i < 5; i++) {
    idle.push(rssOf(stack))
    idlePss.push(treePss(stack.child.pid!))
    await new Promise((r) => setTimeout(r, 1_000))
  }
  const idleBreakdown = breakdown(stack)
  const list = requests(stack.ports)
  const deadline = Date.now() + LOAD_SECONDS * 1000
  let done = 0
  let failed = 0
  let peak = 0
  let peakPss = 0
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(stack))
    peakPss = Math.max(peakPss, treePss(stack.child.pid!))
  }, 1_000)
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      for (let i = worker; Date.now() < deadline; i++) {
        const status = await list[i % list.length]!()
        done++
        if (status === 0 || status >= 500) failed++
      }
    }),
  )
  clearInterval(sampler)
  return {
    idle: median(idle),
    loaded: peak,
    idlePss: median(idlePss),
    loadedPss: peakPss,
    requests: done,
    failed,
    idleBreakdown,
  }
}

async function run(command: 'start' | 'dev') {
  const dataDir = await mkdtemp(path.join(tmpdir(), `bizosaas-bench-${command}-`))
  await chmod(dataDir, 0o755)
  const ports: Record<string, number> = {}
  for (const key of [
    'CMS_PORT',
    'STOREFRONT_PORT',
    'PORTAL_PORT',
    'COMMERCE_PORT',
    'COMMERCE_WORKER_PORT',
    'EMBEDDED_POSTGRES_PORT',
    'EMBEDDED_REDIS_PORT',
    'MOCK_LLM_PORT',
    'WORKER_PORT',
  ])
    ports[key] = await freePort()
  try {
    let stack = await launch(command, dataDir, ports)
    const first = await untilHealthy(stack)
    await stop(stack)
    stack = await launch(command, dataDir, ports)
    const second = await untilHealthy(stack)
    const memory = await measure(stack)
    await stop(stack)
    return { first, second, ...memory }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

console.log('[bench] building what is missing (not timed)')
await buildApps({ log: (m) => console.log(`[bench] ${m}`) })
console.log('[bench] pnpm start …')
const production = await run('start')
console.log('[bench] pnpm dev …')
const development = await run('dev')

const rows = [
  ['start → all healthy, first (seeds)', `${production.first.toFixed(1)} s`, `${development.first.toFixed(1)} s`],
  ['start → all healthy, second', `${production.second.toFixed(1)} s`, `${development.second.toFixed(1)} s`],
  ['RSS idle (whole tree, sum)', mb(production.idle), mb(development.idle)],
  ['PSS idle (whole tree, shared pages split)', mb(production.idlePss), mb(development.idlePss)],
  [`RSS under load (peak, ${CONCURRENCY} clients × ${LOAD_SECONDS} s)`, mb(production.loaded), mb(development.loaded)],
  ['PSS under load (peak)', mb(production.loadedPss), mb(development.loadedPss)],
  [
    'requests served under load (5xx/errors)',
    `${production.requests} (${production.failed})`,
    `${development.requests} (${development.failed})`,
  ],
]
console.log('\n| figure | pnpm start (production) | pnpm dev | ')
console.log('|---|---|---|')
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
console.log(
  `\nproduction/dev RSS: idle ${(production.idle / development.idle).toFixed(2)}×, under load ${(production.loaded / development.loaded).toFixed(2)}×`,
)
console.log(
  `target ≤ ${mb(TARGET_BYTES)} under load: RSS sum ${production.loaded <= TARGET_BYTES ? 'met' : 'NOT met'}, PSS ${production.loadedPss <= TARGET_BYTES ? 'met' : 'NOT met'}`,
)
console.log('\nidle RSS by process kind:')
for (const [kind, bytes] of Object.entries(production.idleBreakdown).sort((a, b) => b[1] - a[1]))
  console.log(`  production ${kind.padEnd(30)} ${mb(bytes)}`)
for (const [kind, bytes] of Object.entries(development.idleBreakdown).sort((a, b) => b[1] - a[1]))
  console.log(`  dev        ${kind.padEnd(30)} ${mb(bytes)}`)
