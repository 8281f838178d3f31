/**
 * The environment variables the code reads, found by reading the sources: `process.env.X` (and
 * `process.env['X']`, destructuring), `env.X` on an environment record, and the keys of the zod
 * schemas in env modules (env.ts, settings.ts), which parse the whole of process.env. A dynamic read
 * (`process.env[name]`) cannot be resolved here: it is reported so that a test can insist it be declared.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from './repo.ts'

export interface EnvRead {
  name: string
  file: string
  line: number
}

export interface EnvScan {
  reads: EnvRead[]
  /** Reads whose variable name is computed, by file. */
  dynamic: EnvRead[]
}

/** Workspace packages that are not code of a service: the benchmarks and these checks. */
const NOT_SERVICE_CODE = new Set(['bench', 'deploy'])

/** The workspace's package folders (pnpm-workspace.yaml, `dir/*` expanded), less benchmarks and checks. */
export function servicePackages(root = repoRoot): string[] {
  const workspace = parse(readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8')) as { packages: string[] }
  return workspace.packages
    .flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true })
            .filter(
              (entry) =>
                entry.isDirectory() && existsSync(path.join(root, pattern.slice(0, -2), entry.name, 'package.json')),
            )
            .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
        : [pattern],
    )
    .filter((dir) => !NOT_SERVICE_CODE.has(dir))
}
const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/
/** Tests, their harnesses and fixtures, builds and installs: not server code. */
const SKIP_DIR = new Set(['node_modules', '.next', '.medusa', 'e2e', 'test', 'fixtures', 'dist', 'migrations'])
const SKIP_FILE = /(?:\.test\.tsx?|\.d\.ts|vitest\.config\.m?ts)$/
const ENV_MODULE = /(?:^|[-/])(?:env|settings)\.ts$/

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') && entry.isDirectory()) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!SKIP_DIR.has(entry.name)) yield* sourceFiles(full)
    } else if (SOURCE.test(entry.name) && !SKIP_FILE.test(entry.name)) yield full
  }
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length

/** Scans `roots` (default: every workspace package but the benchmarks and these checks) below `root`. */
export function scanEnvReads(root = repoRoot, roots = servicePackages(root)): EnvScan {
  const reads: EnvRead[] = []
  const dynamic: EnvRead[] = []
  for (const top of roots)
    for (const full of sourceFiles(path.join(root, top))) {
      const file = path.relative(root, full)
      const text = readFileSync(full, 'utf8')
      const add = (name: string, index: number) => reads.push({ name, file, line: lineOf(text, index) })
      for (const m of text.matchAll(/process\.env\??\.([A-Za-z_][A-Za-z0-9_]*)/g)) add(m[1]!, m.index)
      for (const m of text.matchAll(/process\.env\??\.?\[\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)\1\s*\]/g))
        add(m[2]!, m.index)
      for (const m of text.matchAll(/process\.env\??\.?\[\s*([^\]'"`\s][^\]]*)\]/g))
        dynamic.push({ name: m[1]!.trim(), file, line: lineOf(text, m.index) })
      for (const m of text.matchAll(/\{([^{}]*)\}\s*=\s*process\.env\b/g))
        for (const part of m[1]!.split(',')) {
          const name = part.split(/[:=]/)[0]!.trim()
          if (name) add(name, m.index)
        }
      // An environment record passed in (`env: Record<string, string | undefined> = process.env`).
      for (const m of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]+)\b/g)) add(m[1]!, m.index)
      // Env modules: the schema's keys are the variables it reads from process.env.
      if (ENV_MODULE.test(file) && /z\.object\(|Shape\s*=\s*\{/.test(text))
        for (const m of text.matchAll(/^\s*([A-Z][A-Z0-9_]+)\s*:/gm)) add(m[1]!, m.index)
    }
  return { reads, dynamic }
}
