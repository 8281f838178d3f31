/**
 * `pnpm test`: every package's tests in one Vitest run (one shared PostgreSQL server), then one
 * closing line with the totals, `N passed, N failed, N skipped`, which CI reads.
 * Extra arguments go to Vitest, e.g. `pnpm test --project cms` or `pnpm test src/access`.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { repoRoot } from './lib/env.ts'

interface VitestJson {
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  numTodoTests: number
  numFailedTestSuites: number
}

const dir = await mkdtemp(path.join(tmpdir(), 'bizosaas-test-report-'))
const report = path.join(dir, 'vitest.json')
const code = await new Promise<number>((resolve) => {
  const child = spawn(
    path.join(repoRoot, 'node_modules/.bin/vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
    { cwd: repoRoot, stdio: 'inherit' },
  )
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)))
})

let summary: VitestJson | undefined
try {
  summary = JSON.parse(await readFile(report, 'utf8')) as VitestJson
} catch {
  // Vitest died before writing its report; the exit code below tells CI.
}
await rm(dir, { recursive: true, force: true })

if (summary) {
  // A suite that failed to load counts as a failure even though none of its tests ran.
  const failed = summary.numFailedTests + (summary.numFailedTests === 0 ? summary.numFailedTestSuites : 0)
  const skipped = summary.numPendingTests + summary.numTodoTests
  console.log(`\n${summary.numPassedTests} passed, ${failed} failed, ${skipped} skipped`)
} else {
  console.log('\n0 passed, 1 failed, 0 skipped')
}
process.exit(code === 0 && summary ? 0 : code || 1)
