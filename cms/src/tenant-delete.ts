/**
 * `pnpm tenant:delete <slug> [--dry-run]` (via `payload run`; `DRY_RUN=1` works too): with `--dry-run`, prints what a deletion
 * would remove (counts per collection, files, memberships, queued jobs, the Medusa shop). Without, queues
 * the deletion job (`tenant-data.delete`) and works it here, printing progress until it is done. A rerun
 * after a crash resumes where the last one stopped.
 */
import {
  JOB_STATUS,
  JOBS_SLUG,
  planDeletion,
  requestDeletion,
  startTenantDataWorker,
} from '@bizosaas/plugin-tenant-data'
import { getPayload } from 'payload'
import config from './payload.config.ts'

// `payload run` drops `--flags` from argv; scripts/payload.ts passes the full argument list beside it.
const passed = (() => {
  try {
    return JSON.parse(process.env.PAYLOAD_RUN_ARGS ?? '[]') as string[]
  } catch {
    return []
  }
})()
const args = [...process.argv.slice(2), ...passed]
const dryRun = args.includes('--dry-run') || process.env.DRY_RUN === '1'
const [slug] = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const payload = await getPayload({ config })
try {
  if (!slug) throw new Error('Usage: pnpm tenant:delete <tenant-slug> [--dry-run]')
  const { docs } = await payload.find({ collection: 'tenants', where: { slug: { equals: slug } }, limit: 1, depth: 0 })
  const tenant = docs[0]
  if (!tenant) throw new Error(`No tenant with the slug "${slug}"`)
  if (dryRun) {
    const plan = (await planDeletion(payload, tenant.id))!
    console.log(`Deleting tenant "${slug}" (id ${tenant.id}) would remove:`)
    for (const [collection, n] of Object.entries(plan.collections)) console.log(`  ${collection}: ${n}`)
    console.log(`  media files on disk: ${plan.files}`)
    console.log(
      `  memberships: ${plan.memberships.total} (users deleted: ${plan.memberships.usersDeleted}, users kept in other tenants: ${plan.memberships.usersKept})`,
    )
    console.log(`  queued jobs: ${plan.queue.jobs}, schedules: ${plan.queue.schedules}`)
    console.log(
      `  Medusa: ${plan.medusa.salesChannelId ? `sales channel ${plan.medusa.salesChannelId} disabled, key ${plan.medusa.publishableKeyId ?? '—'} revoked` : 'no shop linked'}`,
    )
  } else {
    const job = (await requestDeletion(payload, tenant.id, { requestedBy: 'cli' }))!
    console.log(`deletion job ${job.id} ${job.existing ? 'already under way' : 'queued'}; working it here`)
    const worker = await startTenantDataWorker(payload, {
      onBatch: (p) => console.error(`deleted so far: ${JSON.stringify(p.deleted)}`),
    })
    for (;;) {
      const row = (await payload.findByID({ collection: JOBS_SLUG as never, id: job.id, depth: 0 })) as unknown as {
        status: string
        error?: string | null
        progress?: { medusa?: { status: string; message?: string } }
      }
      if (row.status === JOB_STATUS.succeeded) {
        const medusa = row.progress?.medusa
        if (medusa && medusa.status !== 'done' && medusa.status !== 'skipped')
          console.error(`Medusa: ${medusa.status}: ${medusa.message}`)
        console.log(`tenant "${slug}" deleted`)
        break
      }
      if (row.status === JOB_STATUS.failed) throw new Error(row.error ?? 'the deletion failed')
      await new Promise((r) => setTimeout(r, 1000))
    }
    await worker.stop()
  }
  process.exitCode = 0
} catch (error) {
  console.error(`tenant deletion failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await payload.destroy()
}
process.exit()
