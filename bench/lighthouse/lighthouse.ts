/**
 * Lighthouse for the benches, kept out of the workspace install: the `lighthouse` package (and the
 * `chrome-launcher` it brings) is loaded from `.tools` (`npm install --prefix .tools -E lighthouse@12.2.3`),
 * and drives the system Chromium — nothing downloads a browser. One call = one fresh Chromium and one
 * mobile-preset performance run (Lighthouse's default config: Moto G Power screen, simulated slow 4G,
 * 4× CPU slowdown).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

/** What one run reports (times in ms, bytes as transferred). */
export interface LighthouseRun {
  score: number
  fcp: number
  lcp: number
  tbt: number
  cls: number
  speedIndex: number
  scriptBytes: number
  totalBytes: number
  /** Lighthouse's own CPU benchmark of this machine at the time (higher = less loaded). */
  benchmarkIndex: number
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * The `.tools` folder holding lighthouse: LIGHTHOUSE_TOOLS, else `.tools` of this checkout, else the
 * one the running Node comes from (a git worktree shares the main checkout's `.tools`).
 */
export function lighthouseTools(): string | null {
  const candidates = [process.env.LIGHTHOUSE_TOOLS, path.resolve(import.meta.dirname, '../../.tools')]
  const fromNode = process.execPath.split(`${path.sep}node_modules${path.sep}`)[0]
  if (fromNode && path.basename(fromNode) === '.tools') candidates.push(fromNode)
  return (
    candidates.find((dir): dir is string => Boolean(dir && existsSync(path.join(dir, 'node_modules/lighthouse')))) ??
    null
  )
}

type Lighthouse = (url: string, flags: Record<string, unknown>) => Promise<{ lhr: LighthouseResult } | undefined>

interface LighthouseResult {
  categories: { performance: { score: number | null } }
  audits: Record<string, { numericValue?: number; details?: { items?: Record<string, unknown>[] } }>
  environment: { benchmarkIndex: number }
  runtimeError?: { message: string }
}

interface ChromeLauncher {
  launch(options: { chromePath: string; chromeFlags: string[] }): Promise<{ port: number; kill(): void }>
}

/** Loads lighthouse and chrome-launcher from `tools`; returns a function running one mobile audit. */
export async function loadLighthouse(tools: string): Promise<(url: string) => Promise<LighthouseRun>> {
  const modules = path.join(tools, 'node_modules')
  const lighthouse = (await import(pathToFileURL(path.join(modules, 'lighthouse/core/index.js')).href))
    .default as Lighthouse
  const launcher = (await import(
    pathToFileURL(path.join(modules, 'chrome-launcher/dist/index.js')).href
  )) as ChromeLauncher
  const chromePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  if (!existsSync(chromePath))
    throw new Error(
      `No Chromium at ${chromePath}. Install the system one (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    )

  return async (url) => {
    const chrome = await launcher.launch({ chromePath, chromeFlags: FLAGS })
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        onlyCategories: ['performance'],
        output: 'json',
        logLevel: 'error',
      })
      const lhr = result?.lhr
      if (!lhr) throw new Error(`lighthouse returned no result for ${url}`)
      if (lhr.runtimeError) throw new Error(`lighthouse ${url}: ${lhr.runtimeError.message}`)
      const value = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN
      const summary = (lhr.audits['resource-summary']?.details?.items ?? []) as {
        resourceType: string
        transferSize: number
      }[]
      return {
        score: (lhr.categories.performance.score ?? 0) * 100,
        fcp: value('first-contentful-paint'),
        lcp: value('largest-contentful-paint'),
        tbt: value('total-blocking-time'),
        cls: value('cumulative-layout-shift'),
        speedIndex: value('speed-index'),
        scriptBytes: summary.find((s) => s.resourceType === 'script')?.transferSize ?? 0,
        totalBytes: summary.find((s) => s.resourceType === 'total')?.transferSize ?? 0,
        benchmarkIndex: lhr.environment.benchmarkIndex,
      }
    } finally {
      chrome.kill()
    }
  }
}
