/**
 * Import cycles in the workspace's source, found with dependency-cruiser: every package's own files
 * (node_modules, Next/Medusa build output and generated files left out), imports followed across
 * packages through their `exports`, type-only imports included — a type cycle is still a layering
 * cycle and becomes a runtime one the day someone drops the `type`.
 */
import path from 'node:path'
import { cruise, type ICruiseOptions, type IMiniDependency } from 'dependency-cruiser'
import { repoRoot } from './env.ts'

/** Paths (regular expressions) that are not source of ours, or only made by tools. */
export const NOT_SOURCE = [
  'node_modules',
  '(^|/)\\.next',
  '(^|/)\\.medusa/',
  '(^|/)\\.data/',
  '(^|/)\\.tools/',
  'payload-types\\.ts$',
  '/importMap\\.js$',
  '(^|/)next-env\\.d\\.ts$',
  // The check's own fixture: a deliberate cycle.
  'scripts/lib/fixtures/import-cycle/',
]

/**
 * One cruise per set of path aliases: the Next apps each map `@lib/*` and `@modules/*` to their own
 * folders, so each is cruised with its own tsconfig; everything else (the CMS's `@/*` included) in one.
 */
export const WORKSPACE_CRUISES: { roots: string[]; tsConfig: string }[] = [
  { roots: ['cms', 'agents', 'plugins', 'scripts', 'commerce', 'bench', 'contracts'], tsConfig: 'cms/tsconfig.json' },
  { roots: ['storefront'], tsConfig: 'storefront/tsconfig.json' },
  { roots: ['portal'], tsConfig: 'portal/tsconfig.json' },
]

export interface CruiseTarget {
  /** Files or folders to start from, relative to `baseDir`. */
  roots: string[]
  /** tsconfig whose `paths` resolve aliases, relative to `baseDir`. */
  tsConfig?: string
}

/** The options of one cruise: only the no-circular rule, TypeScript's own parser (type-only imports count). */
function cruiseOptions(baseDir: string, tsConfig: string | undefined, exclude: string[]): ICruiseOptions {
  return {
    baseDir,
    exclude: { path: exclude },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    ...(tsConfig ? { tsConfig: { fileName: path.join(baseDir, tsConfig) } } : {}),
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
    },
    validate: true,
    ruleSet: {
      forbidden: [{ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } }],
    },
  }
}

/** A cycle as `a.ts → b.ts → a.ts`, starting at its smallest path so each cycle is listed once. */
function formatCycle(from: string, cycle: IMiniDependency[]): string {
  const names = [from, ...cycle.map((step) => step.name)]
  names.pop() // the cycle ends where it began
  const start = names.indexOf([...names].sort()[0]!)
  const rotated = [...names.slice(start), ...names.slice(0, start)]
  return [...rotated, rotated[0]].join(' → ')
}

/** Every import cycle reachable from the targets, each once, as `a.ts → b.ts → a.ts` (paths from `baseDir`). */
export async function findImportCycles(
  targets: CruiseTarget[],
  { baseDir = repoRoot, exclude = NOT_SOURCE }: { baseDir?: string; exclude?: string[] } = {},
): Promise<string[]> {
  const cycles = new Set<string>()
  for (const target of targets) {
    const result = await cruise(target.roots, cruiseOptions(baseDir, target.tsConfig, exclude))
    if (typeof result.output === 'string') throw new Error(`dependency-cruiser returned text: ${result.output}`)
    for (const violation of result.output.summary.violations)
      if (violation.cycle?.length) cycles.add(formatCycle(violation.from, violation.cycle))
  }
  return [...cycles].sort()
}
