/**
 * The Lighthouse baseline: ./bare, a minimal Next.js App Router page (static, one link, no data, images,
 * CSS or components of ours) built with the storefront's own Next and React (its node_modules link) and
 * served by `next start` in production mode — the floor Next's and React's runtime set on this machine.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { freePort } from '@bizosaas/scripts/ports'

export const bareDir = path.resolve(import.meta.dirname, 'bare')

/** Builds (once; ~15 s, into `.next-bench`) and starts the bare app on a free port. */
export async function startBareNext(): Promise<{ port: number; stop(): Promise<void> }> {
  const next = path.join(bareDir, 'node_modules/.bin/next')
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }
  if (!existsSync(path.join(bareDir, '.next-bench/BUILD_ID'))) {
    const build = spawnSync(next, ['build'], { cwd: bareDir, env, encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`bare Next.js build failed:\n${build.stdout}\n${build.stderr}`)
  }
  const port = await freePort()
  const child = spawn(next, ['start', '--port', String(port)], { cwd: bareDir, env, stdio: 'ignore', detached: true })
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.ok,
      () => false,
    )
    if (up) break
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      if (child.pid) process.kill(-child.pid, 'SIGTERM')
      await exited
    },
  }
}
