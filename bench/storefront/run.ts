/**
 * Storefront benchmark (not a test; see ./README.md). Against a running `pnpm dev` stack (Payload on
 * CMS_URL, Medusa on MEDUSA_URL) it starts the production build of the storefront (`next start`, the
 * build cached like the e2e suite's) and measures, side by side in one run:
 *   1. warm time-to-first-byte p50/p99 and requests/s of the home and a product page (CoreLDove's host),
 *   2. Medusa's own `GET /store/products?limit=12` (default fields) with the same key and concurrency,
 *   3. the JavaScript shipped to the product page (sum of its script files, gzipped).
 * Lighthouse's mobile score (beside a bare Next.js page as its baseline) runs when the `lighthouse` CLI is
 * installed (`npm install --prefix .tools lighthouse`).
 *
 *   CMS_API_KEY=… pnpm bench:storefront
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { symlink } from 'node:fs/promises'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { freePort } from '@bizosaas/scripts/ports'
import { buildStorefront, getWithHost, startStorefront, storefrontDir } from '@bizosaas/storefront/e2e'
import { type LoadResult, runLoad } from '../cms-api/load.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10)
const REPS = Number(process.env.BENCH_REPS ?? 3)

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The `lighthouse` CLI: LIGHTHOUSE_BIN, else the one in .tools (kept out of the workspace install). */
function lighthouseBin(): string | null {
  const candidates = [
    process.env.LIGHTHOUSE_BIN,
    path.resolve(import.meta.dirname, '../../.tools/node_modules/.bin/lighthouse'),
  ]
  return candidates.find((c): c is string => Boolean(c && existsSync(c))) ?? null
}
const TENANT = process.env.BENCH_TENANT ?? 'coreldove'
const CMS_URL = process.env.CMS_URL ?? 'http://localhost:3001'
const MEDUSA_URL = (process.env.MEDUSA_URL ?? 'http://localhost:9000').replace('localhost', '127.0.0.1')
const CMS_API_KEY = process.env.CMS_API_KEY
if (!CMS_API_KEY)
  throw new Error('Set CMS_API_KEY to a Payload users API key that reads the tenants (see storefront/README.md)')

const tenants = (await fetch(`${CMS_URL}/api/tenants?limit=100&depth=0`, {
  headers: { authorization: `users API-Key ${CMS_API_KEY}` },
}).then((r) => r.json())) as {
  docs: { slug: string; domains?: { domain: string }[]; commerce?: { publishableKey?: string } }[]
}
const tenant = tenants.docs.find((t) => t.slug === TENANT)
const host = tenant?.domains?.[0]?.domain
const key = tenant?.commerce?.publishableKey
if (!tenant || !host || !key)
  throw new Error(`Tenant ${TENANT} needs a domain and a publishable key in Payload (is pnpm dev running and seeded?)`)

const built = await buildStorefront()
console.log(`storefront build: ${built ? `${built.toFixed(0)} s` : 'cached'}`)
const storefront = await startStorefront({ CMS_URL, CMS_API_KEY, MEDUSA_URL }, await freePort())
try {
  const products = (await fetch(`${MEDUSA_URL}/store/products?limit=1&fields=handle`, {
    headers: { 'x-publishable-api-key': key },
  }).then((r) => r.json())) as { products: { handle: string }[] }
  const handle = products.products[0]!.handle
  const base = `http://127.0.0.1:${storefront.port}`
  // Warm the data cache and the route code.
  for (const p of ['/', `/products/${handle}`]) for (let i = 0; i < 3; i++) await getWithHost(storefront.port, host, p)

  // Rounds of home, product page and Medusa back to back, so each round's ratio compares neighbours in
  // time on this noisy machine; figures are medians over the rounds.
  const targets: [string, string, Record<string, string>][] = [
    ['storefront home', `${base}/`, { host }],
    [`storefront product (${handle})`, `${base}/products/${handle}`, { host }],
    ['medusa GET /store/products?limit=12', `${MEDUSA_URL}/store/products?limit=12`, { 'x-publishable-api-key': key }],
  ]
  const results: LoadResult[][] = targets.map(() => [])
  for (let round = 1; round <= REPS; round++) {
    for (const [i, [name, url, headers]] of targets.entries()) {
      const result = await runLoad({ url, headers, concurrency: CONCURRENCY, seconds: SECONDS })
      results[i]!.push(result)
      console.log(
        `round ${round}  ${name.padEnd(44)} ${result.rps.toFixed(1).padStart(8)} req/s  p50 ${result.p50.toFixed(1).padStart(7)} ms  p99 ${result.p99.toFixed(1).padStart(7)} ms  errors ${result.errors}`,
      )
    }
  }
  console.log(`\nmedians over ${REPS} rounds of ${SECONDS} s at concurrency ${CONCURRENCY}:`)
  for (const [i, [name]] of targets.entries()) {
    const r = results[i]!
    console.log(
      `${name.padEnd(44)} ${median(r.map((x) => x.rps))
        .toFixed(1)
        .padStart(8)} req/s  p50 ${median(r.map((x) => x.p50))
        .toFixed(1)
        .padStart(7)} ms  p99 ${median(r.map((x) => x.p99))
        .toFixed(1)
        .padStart(7)} ms  errors ${r.reduce((n, x) => n + x.errors, 0)}`,
    )
  }
  const ratios = (i: number) => results[i]!.map((x, round) => x.rps / results[2]![round]!.rps)

  // JS shipped to the product page.
  const html = (await getWithHost(storefront.port, host, `/products/${handle}`)).body
  // What a modern browser downloads: `noModule` polyfills are skipped by it, so they are not counted.
  const scripts = [
    ...new Set(
      [...html.matchAll(/<script src="([^"]+)"([^>]*)>/g)].filter((m) => !/noModule/i.test(m[2]!)).map((m) => m[1]!),
    ),
  ]
  let raw = 0
  let gz = 0
  for (const src of scripts) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())
    raw += body.length
    gz += gzipSync(body).length
  }
  console.log('')
  console.log(
    `product page JS: ${scripts.length} files, ${(raw / 1024).toFixed(0)} kB raw, ${(gz / 1024).toFixed(1)} kB gzipped (target ≤ 150 kB)`,
  )
  console.log(
    `product page p50 ${median(results[1]!.map((x) => x.p50)).toFixed(1)} ms (target ≤ 50 ms); ${median(ratios(1)).toFixed(1)}× Medusa's store API req/s (median of per-round ratios; target ≥ 10×); home ${median(ratios(0)).toFixed(1)}×`,
  )

  const lighthouse = lighthouseBin()
  if (!lighthouse) console.log('lighthouse: not installed (npm install --prefix .tools lighthouse), skipped')
  else {
    // Baseline in the same run: a bare Next.js page (bench/storefront/bare-next: static, one link, no
    // data, images or components of ours) — the floor Next's and React's runtime set on this machine.
    const bare = await startBareNext()
    try {
      await lighthouseMedian(lighthouse, 'bare Next.js page (baseline)', `http://localhost:${bare.port}/`)
    } finally {
      await bare.stop()
    }
    // Lighthouse drives Chromium itself; *.localhost resolves to loopback there.
    for (const p of ['/', `/products/${handle}`])
      await lighthouseMedian(lighthouse, p, `http://${host}:${storefront.port}${p}`)
  }
} finally {
  await storefront.stop()
}

/** Lighthouse's mobile performance: one warm-up run (images are resized on first request), then REPS runs. */
async function lighthouseMedian(bin: string, label: string, url: string): Promise<void> {
  const runs: { score: number; lcp: number; tbt: number; fcp: number }[] = []
  for (let i = 0; i <= REPS; i++) {
    const run = spawnSync(
      bin,
      [
        url,
        '--only-categories=performance',
        '--output=json',
        '--quiet',
        `--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync`,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
        maxBuffer: 64 * 1024 * 1024,
      },
    )
    if (run.status !== 0) {
      console.log(`lighthouse ${label}: failed (${run.stderr.split('\n').slice(-3).join(' ')})`)
      return
    }
    const report = JSON.parse(run.stdout) as {
      categories: { performance: { score: number } }
      audits: Record<string, { numericValue: number }>
    }
    if (i > 0)
      runs.push({
        score: report.categories.performance.score * 100,
        fcp: report.audits['first-contentful-paint']!.numericValue,
        lcp: report.audits['largest-contentful-paint']!.numericValue,
        tbt: report.audits['total-blocking-time']!.numericValue,
      })
  }
  console.log(
    `lighthouse mobile ${label}: performance ${runs.map((r) => Math.round(r.score)).join(', ')} → median ${Math.round(median(runs.map((r) => r.score)))} (target ≥ 95); median FCP ${median(runs.map((r) => r.fcp)).toFixed(0)} ms, LCP ${median(runs.map((r) => r.lcp)).toFixed(0)} ms, TBT ${median(runs.map((r) => r.tbt)).toFixed(0)} ms`,
  )
}

/** Builds (once; ~15 s) and starts the bare Next.js baseline app with the storefront's Next and React. */
async function startBareNext(): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = path.resolve(import.meta.dirname, 'bare-next')
  const modules = path.join(dir, 'node_modules')
  if (!existsSync(modules)) await symlink(path.join(storefrontDir, 'node_modules'), modules)
  const next = path.join(modules, '.bin/next')
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }
  if (!existsSync(path.join(dir, '.next-bench/BUILD_ID'))) {
    const build = spawnSync(next, ['build'], { cwd: dir, env, encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`bare Next.js build failed:\n${build.stdout}\n${build.stderr}`)
  }
  const port = await freePort()
  const child = spawn(next, ['start', '--port', String(port)], { cwd: dir, env, stdio: 'ignore', detached: true })
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    port,
    stop: async () => {
      if (child.pid) process.kill(-child.pid, 'SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
  }
}
