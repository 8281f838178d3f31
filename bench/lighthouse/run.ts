/**
 * Lighthouse benchmark (issue 18 part 8; not a test, see ./README.md). Against a running stack (Payload
 * on CMS_URL, Medusa on MEDUSA_URL) it starts the storefront's production build (`next start`, cached
 * like the e2e suite's) and the bare Next.js page (./bare, production build), and runs Lighthouse's
 * mobile preset on the bare page, the shop's home and a product page in the same run: one warm-up run
 * each (images are resized on their first request), then BENCH_REPS rounds, each round auditing all
 * three in a rotating order so a noisy moment on this shared machine does not hit one page only.
 * Figures are medians over the rounds.
 *
 *   CMS_API_KEY=… pnpm bench:lighthouse
 */
import { loadavg } from 'node:os'
import { freePort } from '@bizosaas/scripts/ports'
import { buildStorefront, getWithHost, startStorefront } from '@bizosaas/storefront/e2e'
import { median } from '../cms-api/load.ts'
import { startBaselineStorefront } from '../storefront/baseline.ts'
import { benchTarget } from '../storefront/target.ts'
import { startBareNext } from './bare.ts'
import { type LighthouseRun, lighthouseTools, loadLighthouse } from './lighthouse.ts'

const REPS = Number(process.env.BENCH_REPS ?? 5)

const tools = lighthouseTools()
if (!tools)
  throw new Error(
    'Lighthouse is not installed: npm install --prefix .tools -E lighthouse@12.2.3 (or set LIGHTHOUSE_TOOLS to the folder holding it)',
  )
const audit = await loadLighthouse(tools)
const target = await benchTarget()

const built = await buildStorefront()
console.log(`storefront build: ${built ? `${built.toFixed(0)} s` : 'cached'}`)
const storefront = await startStorefront(
  { CMS_URL: target.cmsUrl, CMS_API_KEY: target.cmsApiKey, MEDUSA_URL: target.medusaUrl },
  await freePort(),
)
const baseline = await startBaselineStorefront(
  { CMS_URL: target.cmsUrl, CMS_API_KEY: target.cmsApiKey, MEDUSA_URL: target.medusaUrl },
  await freePort(),
)
const bare = await startBareNext()
try {
  const pages: [string, string][] = [
    ['bare Next.js page (baseline)', `http://localhost:${bare.port}/`],
    ['storefront home', `http://${target.host}:${storefront.port}/`],
    [`storefront product (${target.handle})`, `http://${target.host}:${storefront.port}/products/${target.handle}`],
  ]
  // The baseline build's pages, when one runs beside (BENCH_BASELINE_STOREFRONT).
  if (baseline)
    pages.push(
      [`${baseline.label} home`, `http://${target.host}:${baseline.port}/`],
      [
        `${baseline.label} product (${target.handle})`,
        `http://${target.host}:${baseline.port}/products/${target.handle}`,
      ],
    )
  // The data cache and the route code warm up on the first requests.
  for (const port of [storefront.port, ...(baseline ? [baseline.port] : [])])
    for (const p of ['/', `/products/${target.handle}`])
      for (let i = 0; i < 3; i++) await getWithHost(port, target.host, p)
  for (const [label, url] of pages) {
    await audit(url)
    console.log(`warm-up: ${label}`)
  }

  const runs: LighthouseRun[][] = pages.map(() => [])
  for (let round = 0; round < REPS; round++) {
    for (let k = 0; k < pages.length; k++) {
      const i = (round + k) % pages.length
      const [label, url] = pages[i]!
      const run = await audit(url)
      runs[i]!.push(run)
      console.log(
        `round ${round + 1}  ${label.padEnd(48)} score ${run.score.toFixed(0).padStart(3)}  FCP ${run.fcp.toFixed(0).padStart(5)}  LCP ${run.lcp.toFixed(0).padStart(5)}  TBT ${run.tbt.toFixed(0).padStart(4)}  CLS ${run.cls.toFixed(3)}  (benchmarkIndex ${run.benchmarkIndex.toFixed(0)}, load ${loadavg()[0]!.toFixed(1)})`,
      )
    }
  }

  const m = (i: number, pick: (r: LighthouseRun) => number) => median(runs[i]!.map(pick))
  const col = (value: number, width: number, digits = 0) => value.toFixed(digits).padStart(width)
  console.log(`\nLighthouse 12 mobile preset, medians over ${REPS} rounds (ms; kB transferred):`)
  console.log(`${'page'.padEnd(48)} score    FCP    LCP   TBT    CLS     SI  JS kB  total kB`)
  for (const [i, [label]] of pages.entries()) {
    const cells = [
      col(
        m(i, (r) => r.score),
        5,
      ),
      col(
        m(i, (r) => r.fcp),
        6,
      ),
      col(
        m(i, (r) => r.lcp),
        6,
      ),
      col(
        m(i, (r) => r.tbt),
        5,
      ),
      col(
        m(i, (r) => r.cls),
        6,
        3,
      ),
      col(
        m(i, (r) => r.speedIndex),
        6,
      ),
      col(m(i, (r) => r.scriptBytes) / 1024, 6, 1),
      col(m(i, (r) => r.totalBytes) / 1024, 9, 1),
    ]
    console.log(`${label.padEnd(48)} ${cells.join(' ')}`)
  }
  for (const [i, [label]] of pages.entries())
    console.log(`scores per round, ${label}: ${runs[i]!.map((r) => r.score.toFixed(0)).join(', ')}`)
  console.log(
    `machine: Lighthouse benchmarkIndex median ${median(runs.flat().map((r) => r.benchmarkIndex)).toFixed(0)}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores, shared)`,
  )
} finally {
  await baseline?.stop()
  await bare.stop()
  await storefront.stop()
}
