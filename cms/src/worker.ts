/**
 * `pnpm worker` (via `payload run`): the agents' pg-boss workers, the Medusa bridge's (product sync, placed
 * orders, tenant link), the audit log's retention job, tenant deletions, the connectors' token refresh and
 * webhook deliveries, social publishing and metrics, with the Payload Local API, in their own process. Run
 * several to scale out; SIGTERM finishes or hands back in-flight runs.
 */

import { startTracing } from '@bizosaas/observability/tracing'
import { startAgentsWorker } from '@bizosaas/plugin-agents'
import { startAuditPrune } from '@bizosaas/plugin-audit-log'
import { startConnectorsWorker } from '@bizosaas/plugin-connectors'
import { startWebhookWorker } from '@bizosaas/plugin-connectors/webhooks'
import { startMedusaSync } from '@bizosaas/plugin-medusa'
import { startSocialWorker } from '@bizosaas/plugin-social'
import { startTenantDataWorker } from '@bizosaas/plugin-tenant-data'
import { getPayload } from 'payload'
import { startWorkerServer, workerConfig } from './observability/worker-server.ts'
import { startOps } from './ops/index.ts'
import config from './payload.config.ts'

const concurrency = Number(process.env.AGENTS_CONCURRENCY ?? 10)
await startTracing('worker')
// Logs as `service: worker`; serves /health/live, /health/ready and /metrics on WORKER_PORT (below).
const payload = await getPayload({ config: workerConfig(config) })
const worker = await startAgentsWorker(payload, { concurrency })
const medusaSync = await startMedusaSync(payload)
const auditPrune = await startAuditPrune(payload)
const tenantData = await startTenantDataWorker(payload)
// The connectors' every-minute token refresh (`connectors.refresh-tokens`) and webhook deliveries.
const connectors = await startConnectorsWorker(payload)
const webhooks = await startWebhookWorker(payload)
// Social posts at their scheduled minute (exactly once per variant) and their metrics a day and a week later.
const social = await startSocialWorker(payload)
// Heartbeat (`pnpm status`, alerts) and the alerts cron job.
const ops = await startOps(payload, { kind: 'worker' })
payload.logger.info(
  `agents worker started (concurrency ${concurrency} per agent queue); Medusa product sync and placed orders, audit-log retention, tenant deletions, connector token refresh, webhook deliveries and social publishing running`,
)

let stopping = false
const httpServer = await startWorkerServer(payload, { started: () => !stopping })
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, async () => {
    if (stopping) return
    stopping = true
    payload.logger.info(`${signal}: finishing in-flight runs`)
    const graceMs = Number(process.env.AGENTS_GRACE_MS ?? 30_000)
    await Promise.all([
      worker.stop({ graceMs }),
      medusaSync.stop({ graceMs }),
      auditPrune.stop({ graceMs }),
      tenantData.stop({ graceMs }),
      connectors.stop({ graceMs }),
      webhooks.stop({ graceMs }),
      social.stop({ graceMs }),
      ops.stop({ graceMs }),
    ])
    await httpServer.close()
    await payload.destroy()
    process.exit(0)
  })

// `payload run` calls process.exit(0) once this module's top level settles: never settle, so the
// workers keep running until a signal (above) stops them.
await new Promise<never>(() => {})
