/**
 * The delivery worker: works `connectors.deliver-webhook` in whichever process calls it — `pnpm worker`
 * (cms/src/worker.ts) in production, the CMS itself under `pnpm dev` (`worker.inProcess`).
 */
import type { Payload } from 'payload'
import type { JobWithMetadata } from 'pg-boss'
import { DELIVER_WEBHOOK_QUEUE } from './constants.ts'
import { deliverWebhook } from './deliver.ts'
import { type DeliverJob, stopWebhookBoss, webhookBossOf } from './queue.ts'

export interface WebhookWorker {
  stop(options?: { graceMs?: number }): Promise<void>
}

export interface WebhookWorkerOptions {
  /** Deliveries in flight at once in this process. @default 5 */
  concurrency?: number
  /** How often to look for retries that are due (NOTIFY wakes it for new deliveries). @default 5 */
  pollingIntervalSeconds?: number
}

/** Starts working the delivery queue; `stop` finishes in-flight POSTs (up to `graceMs`). */
export async function startWebhookWorker(payload: Payload, options: WebhookWorkerOptions = {}): Promise<WebhookWorker> {
  const boss = await webhookBossOf(payload)
  const poll = options.pollingIntervalSeconds ?? 5
  await boss.work(
    DELIVER_WEBHOOK_QUEUE,
    {
      batchSize: 1,
      localConcurrency: options.concurrency ?? 5,
      includeMetadata: true as const,
      pollingIntervalSeconds: poll,
      notifyPollingIntervalSeconds: poll,
    },
    async (jobs) => {
      const job = jobs[0] as JobWithMetadata<DeliverJob> | undefined
      if (!job) return
      return deliverWebhook(payload, job.data.delivery, {
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
        retryDelay: job.retryDelay,
      })
    },
  )
  return { stop: ({ graceMs = 10_000 } = {}) => stopWebhookBoss(payload, graceMs) }
}
