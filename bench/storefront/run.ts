/**
 * Storefront benchmark (not a test; see ./README.md). Against a running `pnpm dev` stack (Payload on
 * CMS_URL, Medusa on MEDUSA_URL) it starts the production build of the storefront (`next start`, the
 * build cached like the e2e suite's) and measures, side by side in one run:
 *   1. warm time-to-first-byte p50/p99 and requests/s of the home and a product page (CoreLDove's host),
 *   2. Medusa's own `GET /store/products?limit=12` (default fields) with the same key and concurrency,
 *   3. the JavaScript shipped to the product page (sum of its script files, gzipped) and each page's HTML.
 * Lighthouse's mobile score beside a bare Next.js page is `pnpm bench:lighthouse` (../lighthouse).
 *
 *   CMS_API_KEY=… pnpm bench:storefront
 */
import { loadavg } from 'node:os'
import { gzipSync } from 'node:zlib'
import { freePort } from '@bizosaas/scripts/ports'
import { buildStorefront, getWithHost, startStorefront } from '@bizosaas/storefront/e2e'
import { type LoadResult, median, runLoad } from '../cms-api/load.ts'
import { startBaselineStorefront } from './baseline.ts'
import { benchTarget } from './target.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10)
const REPS = Number(process.env.BENCH_REPS ?? 3)

const {
  cmsUrl: CMS_URL,
  cmsApiKey: CMS_API_KEY,
  medusaUrl: MEDUSA_URL,
  host,
  publishableKey: key,
  handle,
} = await benchTarget()

const built = await buildStorefront()
console.log(`storefront build: ${built ? `${built.toFixed(0)} s` : 'cached'}`)
const storefront = await startStorefront({ CMS_URL, CMS_API_KEY, MEDUSA_URL }, await freePort())
const baseline = await startBaselineStorefront({ CMS_URL, CMS_API_KEY, MEDUSA_URL }, await freePort())
try {
  const base = `http://127.0.0.1:${storefront.port}`
  // Warm the data cache and the route code.
  for (const port of [storefront.port, ...(baseline ? [baseline.port] : [])])
    for (const p of ['/', `/products/${handle}`]) for (let i = 0; i < 3; i++) await getWithHost(port, host, p)

  // Rounds of home, product page and Medusa back to back, so each round's ratio compares neighbours in
  // time on this noisy machine; figures are medians over the rounds.
  const targets: [string, string, Record<string, string>][] = [
    ['storefront home', `${base}/`, { host }],
    [`storefront product (${handle})`, `${base}/products/${handle}`, { host }],
    ['medusa GET /store/products?limit=12', `${MEDUSA_URL}/store/products?limit=12`, { 'x-publishable-api-key': key }],
  ]
  // The baseline build's pages, when one runs beside (BENCH_BASELINE_STOREFRONT).
  if (baseline) {
    const other = `http://127.0.0.1:${baseline.port}`
    targets.push(
      [`${baseline.label} home`, `${other}/`, { host }],
      [`${baseline.label} product (${handle})`, `${other}/products/${handle}`, { host }],
    )
  }
  const results: LoadResult[][] = targets.map(() => [])
  for (let round = 1; round <= REPS; round++) {
    // The order rotates each round: no target always runs first (or just after another's load).
    for (let k = 0; k < targets.length; k++) {
      const i = (round + k) % targets.length
      const [name, url, headers] = targets[i]!
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
  const homeHtml = (await getWithHost(storefront.port, host, '/')).body
  console.log(
    `HTML (with its RSC payload): home ${(homeHtml.length / 1024).toFixed(1)} kB, product page ${(html.length / 1024).toFixed(1)} kB`,
  )
  console.log(
    `× Medusa's store API req/s (median of per-round ratios; target ≥ 50× with p99 ≤ 50 ms): home ${median(ratios(0)).toFixed(1)}×, product page ${median(ratios(1)).toFixed(1)}×`,
  )
  if (baseline)
    console.log(
      `${baseline.label}: home ${median(ratios(3)).toFixed(1)}×, product page ${median(ratios(4)).toFixed(1)}×`,
    )
  console.log(
    `machine: load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores, shared with other engineers' builds and tests)`,
  )
} finally {
  await baseline?.stop()
  await storefront.stop()
}
