/**
 * `pnpm worker` (via `payload run`): the agents' pg-boss workers with the Payload Local API, in their
 * own process. Run several to scale out; SIGTERM finishes or hands back in-flight runs.
 */
import { startAgentsWorker } from '@bizosaas/plugin-agents'
import { getPayload } from 'payload'
import config from './payload.config.ts'

const concurrency = Number(process.env.AGENTS_CONCURRENCY ?? 10)
const payload = await getPayload({ config })
const worker = await startAgentsWorker(payload, { concurrency })
payload.logger.info(`agents worker started (concurrency ${concurrency} per agent queue)`)

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, async () => {
    if (stopping) return
    stopping = true
    payload.logger.info(`${signal}: finishing in-flight runs`)
    await worker.stop({ graceMs: Number(process.env.AGENTS_GRACE_MS ?? 30_000) })
    await payload.destroy()
    process.exit(0)
  })
