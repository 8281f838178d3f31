/**
 * The project-reference graph behind the root `tsconfig.json` (`pnpm typecheck` = `tsc -b`), made
 * from the workspace's package.json files: each package's `tsconfig.build.json` is a composite project
 * (declarations only, into its own node_modules/.tsbuild) that references the packages it depends on.
 * A plugin whose tests use the CMS harness is two projects — its source, which the CMS depends on,
 * and its tests, which depend on the CMS — because references may not form a cycle. Each package's
 * own `tsconfig.json` (`pnpm -r typecheck`, editors, `next build`, `medusa build`) is left alone.
 *
 * `pnpm tsconfig:references` rewrites the files; scripts/lib/tsconfig-references.test.ts fails when
 * they no longer match the package.json files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from './env.ts'

type Json = Record<string, unknown>

/** Where the CMS's generated Payload types are a project of their own, and the file that brings them in. */
const TYPES_PROJECT = 'cms/tsconfig.build.types.json'
const TYPES_SHIM = 'cms/payload-types.build.d.ts'
/** A plugin's test files (and the test helpers beside them), which may import the CMS. */
const TEST_FILES = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/test/**/*.ts', 'src/fixtures/**/*.ts', '*.ts']

interface Workspace {
  /** Package directories, relative to the root, in a stable order. */
  dirs: string[]
  /** Package name → directory. */
  byName: Map<string, string>
}

function readJson(root: string, file: string): Json {
  return JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Json
}

function workspace(root: string): Workspace {
  const plugins = readdirSync(path.join(root, 'plugins'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `plugins/${entry.name}`)
    .sort()
  const dirs = [
    'contracts',
    'observability',
    'scripts',
    'agents',
    'cms',
    'commerce',
    'storefront',
    'portal',
    'bench',
    'deploy',
    ...plugins,
  ]
  return { dirs, byName: new Map(dirs.map((dir) => [readJson(root, `${dir}/package.json`).name as string, dir])) }
}

/** Directories of the workspace packages `dir` depends on (with its devDependencies when `dev`). */
function dependencies(root: string, ws: Workspace, dir: string, dev: boolean): string[] {
  const pkg = readJson(root, `${dir}/package.json`)
  const names = [
    ...Object.keys((pkg.dependencies as Json | undefined) ?? {}),
    ...(dev ? Object.keys((pkg.devDependencies as Json | undefined) ?? {}) : []),
  ]
  return names.flatMap((name) => (ws.byName.has(name) ? [ws.byName.get(name)!] : []))
}

const emitOptions = (kind: string, rootDir?: string): Json => ({
  composite: true,
  noEmit: false,
  declaration: true,
  emitDeclarationOnly: true,
  outDir: `./node_modules/.tsbuild/${kind}`,
  tsBuildInfoFile: `./node_modules/.tsbuild/${kind}.tsbuildinfo`,
  ...(rootDir ? { rootDir } : {}),
})

/** Every generated file (path relative to the root → its JSON), the root `tsconfig.json` included. */
export function referenceConfigs(root: string = repoRoot): Map<string, Json> {
  const ws = workspace(root)
  const split = new Set(
    ws.dirs.filter((dir) => dir.startsWith('plugins/') && dependencies(root, ws, dir, true).includes('cms')),
  )
  const ref = (target: string, from: string) => ({ path: path.relative(from, target) })
  // Another package's code resolves into its source project; the Medusa app's harness is in its test project.
  const projectOf = (dep: string, from: string) =>
    ref(`${dep}/${dep === 'commerce' ? 'tsconfig.build.test.json' : 'tsconfig.build.json'}`, from)
  const out = new Map<string, Json>()

  out.set(TYPES_PROJECT, {
    extends: './tsconfig.json',
    compilerOptions: emitOptions('payload-types'),
    include: ['src/payload-types.ts', path.basename(TYPES_SHIM)],
    exclude: [],
  })
  for (const dir of ws.dirs) {
    const base = readJson(root, `${dir}/tsconfig.json`)
    const baseInclude = (base.include as string[] | undefined) ?? []
    const usesTypes = baseInclude.some((entry) => entry.endsWith('cms/src/payload-types.ts'))
    let include = baseInclude.map((entry) =>
      entry.endsWith('cms/src/payload-types.ts') ? path.relative(dir, TYPES_SHIM) : entry,
    )
    if (dir.startsWith('plugins/') && !include.includes('src/**/*.tsx')) include = [...include, 'src/**/*.tsx']
    if (dir === 'cms') include = [...include, 'src/**/*.js', 'package.json']
    // Their health endpoints report the package's version (`import … from '../package.json'`).
    if (dir === 'storefront' || dir === 'portal') include = [...include, 'package.json']
    const rootDir = include.some((entry) => entry.startsWith('../')) ? path.relative(dir, '.') : undefined
    const typesRef = usesTypes || dir === 'cms' || dir === 'bench' ? [ref(TYPES_PROJECT, dir)] : []

    if (split.has(dir)) {
      out.set(`${dir}/tsconfig.build.json`, {
        extends: './tsconfig.json',
        compilerOptions: emitOptions('lib', rootDir),
        include,
        exclude: ['node_modules', ...TEST_FILES],
        references: [
          ...typesRef,
          ...dependencies(root, ws, dir, false).map((dep) => ref(`${dep}/tsconfig.build.json`, dir)),
        ],
      })
      out.set(`${dir}/tsconfig.build.test.json`, {
        extends: './tsconfig.json',
        compilerOptions: emitOptions('test', rootDir),
        include: [...TEST_FILES, ...include.filter((entry) => entry.startsWith('../'))],
        exclude: ['node_modules'],
        references: [
          ...typesRef,
          { path: './tsconfig.build.json' },
          ...dependencies(root, ws, dir, true).map((dep) => projectOf(dep, dir)),
        ],
      })
    } else if (dir === 'commerce') {
      // Medusa compiles its own tsconfig.json (CommonJS); its tests have tsconfig.test.json.
      out.set(`${dir}/tsconfig.build.json`, {
        extends: './tsconfig.json',
        compilerOptions: emitOptions('lib'),
        references: dependencies(root, ws, dir, false).map((dep) => ref(`${dep}/tsconfig.build.json`, dir)),
      })
      out.set(`${dir}/tsconfig.build.test.json`, {
        extends: './tsconfig.test.json',
        compilerOptions: emitOptions('test'),
        references: [
          { path: './tsconfig.build.json' },
          ...dependencies(root, ws, dir, true).map((dep) => projectOf(dep, dir)),
        ],
      })
    } else {
      out.set(`${dir}/tsconfig.build.json`, {
        extends: './tsconfig.json',
        compilerOptions: emitOptions('all', rootDir),
        include,
        // The CMS owns its generated types through TYPES_PROJECT.
        ...(dir === 'cms'
          ? { exclude: [...((base.exclude as string[] | undefined) ?? []), 'src/payload-types.ts'] }
          : {}),
        references: [...typesRef, ...dependencies(root, ws, dir, true).map((dep) => projectOf(dep, dir))],
      })
    }
  }
  const projects = [TYPES_PROJECT, ...[...out.keys()].filter((file) => file !== TYPES_PROJECT)]
  out.set('tsconfig.json', { files: [], references: projects.map((file) => ({ path: file })) })
  return out
}

/** Writes the files (Biome formats them afterwards in `pnpm tsconfig:references`). */
export function writeReferenceConfigs(root: string = repoRoot): string[] {
  const configs = referenceConfigs(root)
  for (const [file, json] of configs) writeFileSync(path.join(root, file), `${JSON.stringify(json, null, 2)}\n`)
  return [...configs.keys()]
}

// As a command (`pnpm tsconfig:references`): write them and print their paths for Biome.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename)
  console.log(writeReferenceConfigs().join('\n'))
