/**
 * Worker heartbeat: every worker process (`pnpm worker`, and the worker inside `pnpm dev`'s CMS) upserts
 * its row in `worker_heartbeats` every HEARTBEAT_INTERVAL_MS and deletes it on a graceful stop, so
 * `pnpm status` and the alerts see each worker, and one that stops beating shows as missing.
 */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import {
  DELETE_HEARTBEAT,
  HEARTBEAT_INTERVAL_MS,
  type Query,
  readQueues,
  UPSERT_HEARTBEAT,
} from '@bizosaas/contracts/platform-state'

export interface HeartbeatOptions {
  /** `worker` for `pnpm worker`, `cms` for the worker inside the CMS process. */
  kind: 'worker' | 'cms'
  version: string
  /** @default HEARTBEAT_INTERVAL_MS */
  intervalMs?: number
  /** Where failures to beat go (the database may be briefly away; the next beat tries again). */
  onError?: (error: unknown) => void
}

export interface Heartbeat {
  id: string
  /** Beats once now (also done every interval). */
  beat(): Promise<void>
  /** Stops beating and deletes the row. */
  stop(): Promise<void>
}

/** True when a process with `pid` runs on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Deletes the rows of this host's workers whose process is gone: a worker killed before it could delete
 * its row (`next dev` exits on Ctrl-C without waiting) would otherwise show as missing after a restart.
 * Other hosts' rows are left to the alerts (they cannot be checked from here).
 */
async function forgetDeadNeighbours(query: Query): Promise<void> {
  const { rows } = await query('SELECT id, pid FROM worker_heartbeats WHERE host = $1', [hostname()])
  const dead = (rows as { id: string; pid: number }[]).filter((r) => r.pid !== process.pid && !alive(r.pid))
  for (const row of dead) await query(DELETE_HEARTBEAT, [row.id])
}

/** Starts beating (the first beat is awaited, so a worker that cannot write its row fails to start). */
export async function startHeartbeat(query: Query, options: HeartbeatOptions): Promise<Heartbeat> {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const beat = async () => {
    // Every worker process works every queue of the platform (agents, apply, bridge, audit, tenant data).
    const queues = (await readQueues(query)).map((queue) => queue.name)
    await query(UPSERT_HEARTBEAT, [id, options.kind, hostname(), process.pid, options.version, queues])
  }
  await forgetDeadNeighbours(query)
  await beat()
  const timer = setInterval(
    () => beat().catch((error) => options.onError?.(error)),
    options.intervalMs ?? HEARTBEAT_INTERVAL_MS,
  )
  timer.unref()
  return {
    id,
    beat,
    async stop() {
      clearInterval(timer)
      await query(DELETE_HEARTBEAT, [id])
    },
  }
}
