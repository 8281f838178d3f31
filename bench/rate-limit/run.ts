/**
 * Rate-limit benchmark (issue 16's figure "sign-in p50 with rate limiting on vs off"; not a test, see
 * ./README.md). Two production-mode CMS processes on one fresh, migrated database — RATE_LIMITS=on and
 * RATE_LIMITS=off, otherwise identical, both trusting one proxy (TRUSTED_PROXY_COUNT=1) so the per-IP
 * limit is on the path — each take the same sequential successful sign-ins (`POST /api/users/login`
 * over HTTP, a client address in X-Forwarded-For) in rounds that alternate which side goes first.
 * Figures: p50 per round and side, their medians, and the on/off ratio. Then a check that the "on"
 * side really refuses (429 after the per-email limit) and the "off" side does not.
 *
 *   pnpm bench:rate-limit       # embedded PostgreSQL of its own, or DATABASE_URL's server
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from '@bizosaas/scripts/ports'
import {
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  type PostgresServer,
  startEmbeddedPostgres,
} from '@bizosaas/scripts/postgres'
import { runPayload } from '@bizosaas/scripts/stack'
import { median, percentile } from '../cms-api/load.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 60)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 15)
const SIDES = ['on', 'off'] as const
type Side = (typeof SIDES)[number]

const repoRoot = path.resolve(import.meta.dirname, '../..')
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx')
const SECRET = randomBytes(32).toString('hex')
const EMAIL = 'bench-rate-limit@bizosaas.dev'
const PASSWORD = randomBytes(12).toString('hex')

const log = (line = '') => process.stdout.write(`${line}\n`)
const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`

const cleanups: (() => Promise<unknown>)[] = []
async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: Error) => log(`cleanup: ${error.message}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void cleanup().finally(() => process.exit(130)))

/** The bench's PostgreSQL: DATABASE_URL's server, else an embedded one in a temporary folder. */
async function openServer(): Promise<PostgresServer> {
  if (process.env.DATABASE_URL) return externalPostgres(process.env.DATABASE_URL)
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-rate-limit-'))
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false })
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  return server
}

function startSide(side: Side, env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(tsx, [path.join(import.meta.dirname, 'server.ts')], {
    cwd: path.join(repoRoot, 'cms'),
    env: { ...env, RATE_LIMITS: side },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  })
  let output = ''
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      output += data
      const line = output.split('\n').find((l) => l.startsWith('BENCH '))
      if (line) resolve({ url: (JSON.parse(line.slice(6)) as { url: string }).url, child })
    })
    child.stderr!.on('data', (data: Buffer) => (output += data))
    child.once('exit', (code) => reject(new Error(`the "${side}" CMS exited (${code}):\n${output.slice(-4000)}`)))
  })
}

let address = 0
/** One sign-in from a fresh client address; its latency in ms (throws on anything but `expected`). */
async function signIn(base: string, email: string, password: string, expected = 200): Promise<number> {
  address++
  const started = performance.now()
  const res = await fetch(`${base}/api/users/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
    },
    body: JSON.stringify({ email, password }),
  })
  await res.arrayBuffer()
  const elapsed = performance.now() - started
  if (res.status !== expected) throw new Error(`sign-in answered ${res.status}, expected ${expected}`)
  return elapsed
}

async function main() {
  log(`rate-limit bench: ${ROUNDS} rounds × ${SIGN_INS} sequential sign-ins per side; ${cpus().length} CPUs`)
  const server = await openServer()
  cleanups.push(() => server.stop())
  const dbName = `bench_rate_limit_${randomBytes(3).toString('hex')}`
  await ensureDatabase(server.adminUrl, dbName)
  cleanups.push(() => dropDatabase(server.adminUrl, dbName))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(server.adminUrl, dbName),
    PAYLOAD_SECRET: SECRET,
    VAULT_KEY: randomBytes(32).toString('hex'),
    AGENTS_WORKER: 'off',
    TRUSTED_PROXY_COUNT: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  }
  await runPayload(['migrate'], env)

  const sides = Object.fromEntries(
    await Promise.all(SIDES.map(async (side) => [side, (await startSide(side, env)).url] as const)),
  ) as Record<Side, string>
  // The bench user: the database's first user, through Payload's own first-register route.
  const first = await fetch(`${sides.off}/api/users/first-register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD, confirmPassword: PASSWORD }),
  })
  if (!first.ok) throw new Error(`first-register answered ${first.status}: ${await first.text()}`)

  for (const side of SIDES) for (let i = 0; i < WARMUP; i++) await signIn(sides[side], EMAIL, PASSWORD)

  const p50s: Record<Side, number[]> = { on: [], off: [] }
  const all: Record<Side, number[]> = { on: [], off: [] }
  log('\nround   first   p50 on     p50 off     on/off')
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? SIDES : ([...SIDES].reverse() as Side[])
    for (const side of order) {
      const times: number[] = []
      for (let i = 0; i < SIGN_INS; i++) times.push(await signIn(sides[side], EMAIL, PASSWORD))
      p50s[side].push(median(times))
      all[side].push(...times)
    }
    log(
      `${String(round + 1).padStart(5)}   ${order[0]!.padEnd(5)} ${ms(p50s.on[round]!)}  ${ms(p50s.off[round]!)}   ${(p50s.on[round]! / p50s.off[round]!).toFixed(3)}`,
    )
  }
  const on = median(p50s.on)
  const off = median(p50s.off)
  log(`\nsign-in p50 (median of rounds): on ${ms(on)}, off ${ms(off)}; ratio on/off ${(on / off).toFixed(3)}`)
  log(
    `all sign-ins: on p50 ${ms(median(all.on))} p99 ${ms(percentile(all.on, 99))}; off p50 ${ms(median(all.off))} p99 ${ms(percentile(all.off, 99))}`,
  )

  // The "on" side limits (default 5 failures per email per 15 minutes), the "off" side does not.
  const probe = `bench-probe-${randomBytes(3).toString('hex')}@example.com`
  for (let i = 0; i < 5; i++) await signIn(sides.on, probe, 'wrong', 401)
  await signIn(sides.on, probe, 'wrong', 429)
  for (let i = 0; i < 6; i++) await signIn(sides.off, `off-${probe}`, 'wrong', 401)
  log('check: "on" refused the 6th failed sign-in of an email with 429; "off" answered 401 six times')
  log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
}

try {
  await main()
} finally {
  await cleanup()
}
