/**
 * The agent/bridge workers (cms/src/worker.ts) as separate processes: `pnpm worker` and `pnpm start`
 * run N of them, worker i serving its health and metrics on WORKER_PORT + i.
 *
 * Run with tsx, not `payload run`: `payload run` calls process.exit(0) as soon as the script's module has
 * been evaluated, which ends a long-running worker the moment it has started.
 */
import path from 'node:path'
import { repoRoot } from './env.ts'
import { type Service, startService } from './processes.ts'
import { cmsDir } from './stack.ts'

export interface StartWorkersOptions {
  count: number
  /** Worker i listens on `basePort + i`. */
  basePort: number
  /** The CMS's environment (cmsEnv): database, secret, Medusa, mock LLM. */
  env: NodeJS.ProcessEnv
  onExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void
}

/** Starts `count` workers, each the leader of its own process group, output prefixed `[worker-i]`. */
export function startWorkers({ count, basePort, env, onExit }: StartWorkersOptions): Service[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `worker-${i}`
    return startService(name, path.join(repoRoot, 'node_modules/.bin/tsx'), ['src/worker.ts'], {
      cwd: cmsDir,
      env: {
        ...env,
        WORKER_PORT: String(basePort + i),
        // Names the process in its logs and heartbeats.
        WORKER_NAME: env.WORKER_NAME ? `${env.WORKER_NAME}-${i}` : name,
      },
      onExit: (code, signal) => onExit?.(name, code, signal),
    })
  })
}

/** `--count N` (or `--count=N`) from argv, else WORKERS, else `fallback`; a whole number from 1 to 64. */
export function workerCount(argv: string[], env: Record<string, string | undefined>, fallback = 1): number {
  const at = argv.findIndex((a) => a === '--count' || a.startsWith('--count='))
  const raw = at === -1 ? env.WORKERS : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new Error(`--count / WORKERS must be a whole number from 1 to 64 (got "${raw}")`)
  return n
}
