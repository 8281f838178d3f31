/**
 * A chaos bench worker process: the CMS config with the chaos agent and `startAgentsWorker` — what
 * `pnpm worker` runs for the agents, without the Medusa, audit-log and tenant-data workers. Started by
 * run.ts (env: DATABASE_URL, PAYLOAD_SECRET, OPENAI_BASE_URL, …); prints `ready` once it fetches. The
 * orchestrator kills it with SIGKILL, so it never shuts down by itself.
 */
import { cmsConfig } from '@bizosaas/cms/config'
import { startAgentsWorker } from '@bizosaas/plugin-agents'
import { buildConfig, getPayload } from 'payload'
import { chaosCmsOptions } from './agent.ts'

const payload = await getPayload({ config: await buildConfig(cmsConfig(chaosCmsOptions())) })
await startAgentsWorker(payload, {
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 10),
  perTenantConcurrency: Number(process.env.BENCH_PER_TENANT ?? 5),
  expiryIntervalMs: 3_600_000,
})
process.stdout.write('ready\n')
