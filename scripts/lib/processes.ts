/**
 * Long-running child processes of `pnpm start` and `pnpm worker`: each in its own process group (so
 * stopping it also stops what it forks), its output prefixed line by line with its name, and stopped
 * with SIGTERM to the whole group, SIGKILL after a grace period, resolving only when the group is gone.
 */
import { type ChildProcess, spawn } from 'node:child_process'

/** Writes `chunk`'s lines to stdout as `[name] line`, keeping a partial last line until it is complete. */
export function linePrefixer(name: string, write: (text: string) => void = (t) => process.stdout.write(t)) {
  let partial = ''
  return (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    if (lines.length > 0) write(lines.map((line) => `[${name}] ${line}\n`).join(''))
  }
}

export interface ServiceOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  /** Called when it exits on its own (not through `stopProcessGroup`). */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void
}

export interface Service {
  name: string
  child: ChildProcess
  pid: number
  stop(graceMs?: number): Promise<void>
}

/** Starts `command args` as the leader of a new process group, output prefixed with `[name]`. */
export function startService(name: string, command: string, args: string[], options: ServiceOptions): Service {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const out = linePrefixer(name)
  const err = linePrefixer(name, (t) => process.stderr.write(t))
  child.stdout?.on('data', (d: Buffer) => out(d.toString()))
  child.stderr?.on('data', (d: Buffer) => err(d.toString()))
  let stopping = false
  child.on('exit', (code, signal) => {
    if (!stopping) options.onExit?.(code, signal)
  })
  return {
    name,
    child,
    pid: child.pid!,
    stop(graceMs) {
      stopping = true
      return stopProcessGroup(child, graceMs)
    },
  }
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

/** SIGTERM to the child's process group, then waits until the whole group is gone (SIGKILL after `graceMs`). */
export async function stopProcessGroup(child: ChildProcess, graceMs = 15_000): Promise<void> {
  const pid = child.pid
  if (!pid) return
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s)
    } catch {
      // the group is gone
    }
  }
  signal('SIGTERM')
  const deadline = Date.now() + graceMs
  while (groupAlive(pid)) {
    if (Date.now() > deadline) {
      signal('SIGKILL')
      break
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  while (groupAlive(pid)) await new Promise((r) => setTimeout(r, 50))
}
