/**
 * Build caching by source hash, shared by the Next apps (next-app.ts) and Medusa (commerce.ts): a build
 * is redone only when a file it is made from changed — the package's own files, the workspace packages
 * it depends on (transitively, they are bundled from source) and the lockfile.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, realpath, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { repoRoot } from './env.ts'

/** Folders that are never sources: dependencies, build outputs, browser-test suites and their results. */
const SKIPPED_DIRS = new Set(['node_modules', '.medusa', 'e2e', 'test-results', 'coverage', 'dist', 'media'])
const skippedDir = (name: string) => SKIPPED_DIRS.has(name) || name.startsWith('.next') || name.startsWith('.')
const skippedFile = (name: string) =>
  /\.(test|int\.test)\.tsx?$/.test(name) ||
  /^vitest\.config\./.test(name) ||
  name.endsWith('.tsbuildinfo') ||
  name.endsWith('.md') ||
  name === 'next-env.d.ts'

async function filesOf(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!skippedDir(entry.name)) found.push(...(await filesOf(full)))
    } else if (entry.isFile() && !skippedFile(entry.name)) found.push(full)
  }
  return found
}

/** The package's workspace dependencies (`workspace:` in dependencies), transitively, as folders. */
async function workspaceDependencies(dir: string, seen = new Set<string>()): Promise<Set<string>> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
  }
  for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
    if (!version.startsWith('workspace:')) continue
    const linked = path.join(dir, 'node_modules', name)
    if (!existsSync(linked)) continue
    const target = await realpath(linked)
    if (seen.has(target)) continue
    seen.add(target)
    await workspaceDependencies(target, seen)
  }
  return seen
}

/** A hash of everything a build of the package in `dir` is made from. */
export async function sourceHash(dir: string): Promise<string> {
  const hash = createHash('sha1')
  const packages = [dir, ...[...(await workspaceDependencies(dir))].sort()]
  for (const pkg of packages)
    for (const file of (await filesOf(pkg)).sort())
      hash
        .update(path.relative(repoRoot, file))
        .update('\0')
        .update(await readFile(file))
  hash.update(await readFile(path.join(repoRoot, 'pnpm-lock.yaml')))
  return hash.digest('hex')
}

/** Whether the build recorded in `stampFile` was made from `hash` (and `output` still exists). */
export async function isFresh(stampFile: string, hash: string, output: string): Promise<boolean> {
  return existsSync(stampFile) && existsSync(output) && (await readFile(stampFile, 'utf8')).trim() === hash
}

export const writeStamp = (stampFile: string, hash: string) => writeFile(stampFile, hash)
