/** Resident memory of process trees, read from Linux's /proc (no other dependency). */
import { readdirSync, readFileSync } from 'node:fs'

export interface ProcessInfo {
  pid: number
  ppid: number
  argv: string[]
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return '' // the process exited meanwhile
  }
}

/** Every live process with its parent and command line. */
export function processes(): ProcessInfo[] {
  const list: ProcessInfo[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = read(`/proc/${name}/stat`)
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so parse after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (!stat || Number.isNaN(ppid)) continue
    list.push({ pid: Number(name), ppid, argv: read(`/proc/${name}/cmdline`).split('\0').filter(Boolean) })
  }
  return list
}

/** `root` and all its descendants. */
export function descendants(root: number, all = processes()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>()
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p])
  const self = all.find((p) => p.pid === root)
  const out: ProcessInfo[] = self ? [self] : []
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!.pid) ?? []))
  return out
}

const kb = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0)

/**
 * Summed RSS of `pids` in bytes, and summed PSS (shared pages split between the processes that map
 * them, so a tree's PSS does not count shared libraries twice).
 */
export function memoryOf(pids: number[]): { rss: number; pss: number } {
  let rss = 0
  let pss = 0
  for (const pid of pids) {
    rss += kb(read(`/proc/${pid}/status`), 'VmRSS') * 1024
    pss += kb(read(`/proc/${pid}/smaps_rollup`), 'Pss') * 1024
  }
  return { rss, pss }
}
