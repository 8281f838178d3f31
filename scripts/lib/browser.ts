/**
 * Headless Chromium for browser tests: the system's Debian Chromium driven by playwright-core. Nothing
 * downloads a browser; a machine without one gets told how to install it.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { repoRoot } from './env.ts'

/** `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Flags for a sealed machine: no sandbox (root), no GPU, and none of Chromium's own network chatter. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath()
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}. Install the system one (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    )
  return chromium.launch({ executablePath, args: FLAGS, headless: true })
}

/** Where browser tests put screenshots (git-ignored `test-results/<suite>`). */
export async function artifactsDir(suite: string): Promise<string> {
  const dir = path.join(repoRoot, 'test-results', suite)
  await mkdir(dir, { recursive: true })
  return dir
}
