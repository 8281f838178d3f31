/**
 * Summarises V8 CPU profiles written by `BENCH_CPU_PROFILE=<dir>` (see ./README.md): self time by
 * function and by package, side by side. `tsx bench/cms-api/profile-summary.ts <dir> [top]`.
 */
import { existsSync, readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
}

const [dir, topArg] = process.argv.slice(2)
const top = Number(topArg ?? 25)

function packageOf(url: string): string {
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  if (url.includes('/cms/src/') || url.includes('/plugins/'))
    return `ours:${url.replace(/^.*?\/(cms\/src|plugins)\//, '$1/')}`
  if (url.startsWith('node:')) return 'node'
  return url ? 'other' : '(native/gc/idle)'
}

function summarise(side: string) {
  const profile = JSON.parse(readFileSync(`${dir}/${side}.cpuprofile`, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  const byFn = new Map<string, number>()
  const byPkg = new Map<string, number>()
  let total = 0
  let idle = 0
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    if (functionName === '(idle)') {
      idle += us
      continue
    }
    total += us
    const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/(cms\/src|plugins)\//, '$1/')
    const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
    byFn.set(key, (byFn.get(key) ?? 0) + us)
    const pkg = packageOf(url)
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us)
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, us]) =>
          `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`,
      )
  console.log(`\n== ${side}: ${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle`)
  const countsFile = `${dir}/${side}.counts.json`
  if (existsSync(countsFile)) {
    const tallies = JSON.parse(readFileSync(countsFile, 'utf8')) as Record<
      string,
      { requests: number; statements: number; cpuMicros: number }
    >
    for (const [line, t] of Object.entries(tallies))
      if (t.requests >= 10)
        console.log(
          `   ${line}: ${t.requests} requests, ${(t.statements / t.requests).toFixed(2)} SQL statements and ` +
            `${(t.cpuMicros / t.requests / 1000).toFixed(1)} ms CPU per request`,
        )
  }
  console.log('-- self time by package')
  console.log(rows(byPkg).join('\n'))
  console.log('-- self time by function')
  console.log(rows(byFn).join('\n'))
}

for (const side of ['ours', 'bare']) summarise(side)
