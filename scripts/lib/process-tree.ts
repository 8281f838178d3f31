/**
 * The processes under a given one, read from /proc (Linux): what `pnpm start`'s smoke test checks is
 * gone after Ctrl-C, and what bench/production sums the memory of. Process groups that a supervisor
 * started with `detached` are still its descendants, so the tree finds them.
 */
import { readdirSync, readFileSync } from 'node:fs'

export interface ProcessInfo {
  pid: number
  ppid: number
  pgid: number
  /** Resident set size in bytes (0 for a zombie). */
  rss: number
  command: string
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name is in parentheses and may hold spaces: the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const rssPages = Number(fields[21])
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), rss: rssPages * 4096, command }
  } catch {
    return undefined // exited while we looked
  }
}

/** Every process alive now. */
export function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined)
}

/** `root` and all its descendants. */
export function processTree(root: number): ProcessInfo[] {
  const all = allProcesses()
  const children = new Map<number, ProcessInfo[]>()
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p])
  const found: ProcessInfo[] = []
  const queue = all.filter((p) => p.pid === root)
  while (queue.length > 0) {
    const p = queue.shift()!
    found.push(p)
    queue.push(...(children.get(p.pid) ?? []))
  }
  return found
}

/** Processes in any of the given process groups. */
export const inGroups = (groups: Iterable<number>): ProcessInfo[] => {
  const wanted = new Set(groups)
  return allProcesses().filter((p) => wanted.has(p.pgid))
}

/** Total RSS of the tree under `root`, in bytes. */
export const treeRss = (root: number): number => processTree(root).reduce((sum, p) => sum + p.rss, 0)

/**
 * Proportional set size in bytes: resident memory with each shared page divided among the processes
 * that share it (PostgreSQL's backends share its buffers, so their RSS sum counts them many times).
 */
export function pssOf(pid: number): number {
  try {
    const kb = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m)?.[1]
    return Number(kb ?? 0) * 1024
  } catch {
    return 0
  }
}

/** Total PSS of the tree under `root`, in bytes: what the whole stack really takes. */
export const treePss = (root: number): number => processTree(root).reduce((sum, p) => sum + pssOf(p.pid), 0)
