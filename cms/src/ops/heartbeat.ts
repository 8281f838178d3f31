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

/** Starts beating (the first beat is awaited, so a worker that cannot write its row fails to start). */
export async function startHeartbeat(query: Query, options: HeartbeatOptions): Promise<Heartbeat> {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const beat = async () => {
    // Every worker process works every queue of the platform (agents, apply, bridge, audit, tenant data).
    const queues = (await readQueues(query)).map((queue) => queue.name)
    await query(UPSERT_HEARTBEAT, [id, options.kind, hostname(), process.pid, options.version, queues])
  }
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
