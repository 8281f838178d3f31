/**
 * Tenant deletion: a dry run that counts what would go, and the deletion itself as a pg-boss job that
 * works in idempotent steps and batches, recording progress on its `tenant-data-jobs` row after each.
 * A rerun (after a crash or `kill -9`) reads the row and continues; every step is safe to repeat.
 *
 * Order: Medusa (sales channel disabled, publishable key revoked; recorded, never fatal) → queued
 * pg-boss jobs and schedules naming the tenant → documents of every tenant-scoped collection, last
 * referenced first, in batches (their files on disk, versions, then the rows) → memberships (users only
 * in this tenant are deleted unless super-admins; others lose the membership) → the tenant itself.
 * The tenant row goes last: the tenant columns are `ON DELETE SET NULL`, so deleting it first would orphan
 * rows that could then no longer be found.
 */
import { unlink } from 'node:fs/promises'
import path from 'node:path'
import type { Payload, PayloadRequest } from 'payload'
import { DELETE_QUEUE, JOB_KIND, JOB_STATUS, JOBS_SLUG } from './constants.ts'
import { reportEvent, tenantDataConfigOf } from './defaults.ts'
import { findTenant, staticDirOf, uploadFilesOf, usersOfTenant } from './export.ts'
import { disableTenantCommerce, type MedusaCleanup } from './medusa.ts'
import { type DeleteJobData, stopTenantDataBoss, tenantDataBossOf } from './queue.ts'
import { scopedCollections } from './scope.ts'
import * as SQL from './sql.ts'

type Id = number | string
type Doc = Record<string, unknown> & { id: Id }

export interface DeletionProgress {
  medusa?: MedusaCleanup
  queue?: { jobs: number; schedules: number }
  /** Rows removed so far per collection (`users` = accounts deleted, `memberships` = memberships removed). */
  deleted: Record<string, number>
  files: number
  tenant?: boolean
}

export interface DeletionPlan {
  tenant: { id: Id; slug: string }
  /** Documents per tenant-scoped collection; `<slug> versions` for version rows. */
  collections: Record<string, number>
  files: number
  memberships: { total: number; usersDeleted: number; usersKept: number }
  queue: { jobs: number; schedules: number }
  medusa: { salesChannelId: string | null; publishableKeyId: string | null }
}

interface Membership {
  id: Id
  roles?: string[] | null
  serviceAccount?: boolean | null
  tenants?: { id?: string; tenant?: unknown; roles?: string[] }[] | null
}

const idOf = (value: unknown): Id | undefined =>
  typeof value === 'object' && value !== null ? (value as { id: Id }).id : (value as Id | undefined)

/**
 * What a user loses when the tenant goes: the account (only in this tenant) or just the membership
 * (also in other tenants, a super-admin, or a platform service account such as the storefront's reader).
 */
function fateOf(user: Membership, tenantId: Id): 'delete' | 'leave' {
  const others = (user.tenants ?? []).filter((row) => String(idOf(row.tenant)) !== String(tenantId))
  return others.length || user.roles?.includes('super-admin') || user.serviceAccount ? 'leave' : 'delete'
}

async function queueCounts(payload: Payload, tenantId: Id) {
  const { queue } = tenantDataConfigOf(payload)
  const db = (await tenantDataBossOf(payload)).getDb()
  const one = async (text: string) =>
    ((await db.executeSql(text, [String(tenantId)])) as { rows: { count: number }[] }).rows[0]!.count
  return { jobs: await one(SQL.countQueuedJobs(queue.schema)), schedules: await one(SQL.countSchedules(queue.schema)) }
}

/** The dry run: counts of everything a deletion of `tenantId` removes. Undefined when there is no such tenant. */
export async function planDeletion(payload: Payload, tenantId: Id): Promise<DeletionPlan | undefined> {
  const tenant = await findTenant(payload, tenantId)
  if (!tenant) return undefined
  const config = tenantDataConfigOf(payload)
  const collections: Record<string, number> = {}
  let files = 0
  for (const c of scopedCollections(payload)) {
    const where = { tenant: { equals: tenantId } }
    collections[c.slug] = (await payload.db.count({ collection: c.slug as never, where })).totalDocs
    if (c.versions)
      collections[`${c.slug} versions`] = (
        await payload.db.countVersions({
          collection: c.slug as never,
          where: { 'version.tenant': { equals: tenantId } },
        })
      ).totalDocs
    if (c.upload) {
      let after: Id | undefined
      for (;;) {
        const { docs } = await payload.db.find({
          collection: c.slug as never,
          where: { and: [where, ...(after === undefined ? [] : [{ id: { greater_than: after } }])] },
          sort: 'id',
          limit: config.batchSize,
          pagination: false,
          select: { filename: true, sizes: true },
        })
        for (const doc of docs) files += uploadFilesOf(doc).length
        if (docs.length < config.batchSize) break
        after = docs.at(-1)!.id as Id
      }
    }
  }
  const memberships = { total: 0, usersDeleted: 0, usersKept: 0 }
  for await (const users of usersOfTenant(payload, tenantId, config.batchSize))
    for (const user of users as unknown as Membership[]) {
      memberships.total++
      if (fateOf(user, tenantId) === 'delete') memberships.usersDeleted++
      else memberships.usersKept++
    }
  const commerce = tenant.commerce as { salesChannelId?: string | null; publishableKeyId?: string | null } | undefined
  return {
    tenant: { id: tenant.id, slug: String(tenant.slug) },
    collections,
    files,
    memberships,
    queue: await queueCounts(payload, tenantId),
    medusa: { salesChannelId: commerce?.salesChannelId ?? null, publishableKeyId: commerce?.publishableKeyId ?? null },
  }
}

/**
 * Records a deletion of `tenantId` and queues it. Returns the job row; a deletion already queued or
 * running for the tenant is returned instead of a second one.
 */
export async function requestDeletion(
  payload: Payload,
  tenantId: Id,
  options: { requestedBy?: string; req?: PayloadRequest } = {},
): Promise<{ id: Id; status: string; existing: boolean } | undefined> {
  const plan = await planDeletion(payload, tenantId)
  if (!plan) return undefined
  const { docs } = await payload.find({
    collection: JOBS_SLUG as never,
    where: {
      and: [
        { kind: { equals: JOB_KIND.deletion } },
        { tenantKey: { equals: String(tenantId) } },
        { status: { in: [JOB_STATUS.queued, JOB_STATUS.running] } },
      ],
    },
    limit: 1,
    depth: 0,
  })
  const running = docs[0] as unknown as Doc | undefined
  if (running) return { id: running.id, status: String(running.status), existing: true }
  const row = (await payload.create({
    collection: JOBS_SLUG as never,
    data: {
      kind: JOB_KIND.deletion,
      status: JOB_STATUS.queued,
      tenantKey: String(tenantId),
      tenantSlug: plan.tenant.slug,
      plan,
      progress: { deleted: {}, files: 0 } satisfies DeletionProgress,
      requestedBy: options.requestedBy,
    } as never,
  })) as unknown as Doc
  const boss = await tenantDataBossOf(payload)
  const bossJob = await boss.send(DELETE_QUEUE, { job: row.id, tenant: String(tenantId) } satisfies DeleteJobData, {
    singletonKey: String(tenantId),
  })
  await payload.db.updateOne({ collection: JOBS_SLUG as never, id: row.id, data: { bossJobId: bossJob ?? null } })
  await reportEvent(
    payload,
    { type: 'deletion-requested', tenant: plan.tenant, jobId: row.id as Id, counts: plan.collections },
    options.req,
  )
  return { id: row.id as Id, status: JOB_STATUS.queued, existing: false }
}

export interface RunDeletionOptions {
  /** Called after each recorded batch (tests and benches watch progress through it). */
  onBatch?: (progress: DeletionProgress) => void | Promise<void>
}

/** Runs (or resumes) the deletion recorded on job row `jobId`. Safe to call again at any point. */
export async function runDeletion(
  payload: Payload,
  jobId: Id,
  options: RunDeletionOptions = {},
): Promise<DeletionProgress> {
  const config = tenantDataConfigOf(payload)
  const row = (await payload.db.findOne({ collection: JOBS_SLUG as never, where: { id: { equals: jobId } } })) as
    | (Doc & {
        tenantKey: string
        tenantSlug: string
        progress?: DeletionProgress
        attempts?: number
        startedAt?: string
      })
    | null
  if (!row) throw new Error(`No tenant-data job ${jobId}`)
  const tenantId: Id = /^\d+$/.test(row.tenantKey) ? Number(row.tenantKey) : row.tenantKey
  const progress: DeletionProgress = { deleted: {}, files: 0, ...row.progress }
  const save = async (data: Record<string, unknown> = {}) => {
    await payload.db.updateOne({ collection: JOBS_SLUG as never, id: jobId, data: { progress, ...data } })
    await options.onBatch?.(progress)
  }
  await save({
    status: JOB_STATUS.running,
    attempts: (row.attempts ?? 0) + 1,
    startedAt: row.startedAt ?? new Date().toISOString(),
  })

  const tenant = await findTenant(payload, tenantId)
  if (tenant && !progress.medusa) {
    progress.medusa = await disableTenantCommerce(payload, tenant.commerce as never)
    if (progress.medusa.status === 'failed' || progress.medusa.status === 'not-configured')
      payload.logger.warn(`tenant-data: Medusa clean-up of tenant ${row.tenantSlug}: ${progress.medusa.message}`)
    await save()
  }

  // Queued work of the tenant would otherwise recreate rows behind the deletion.
  const db = (await tenantDataBossOf(payload)).getDb()
  const removed = async (text: string) =>
    ((await db.executeSql(text, [String(tenantId)])) as { rowCount?: number }).rowCount ?? 0
  const schedules = await removed(SQL.deleteSchedules(config.queue.schema))
  const jobs = await removed(SQL.deleteQueuedJobs(config.queue.schema))
  progress.queue = { jobs: (progress.queue?.jobs ?? 0) + jobs, schedules: (progress.queue?.schedules ?? 0) + schedules }
  await save()

  // Documents: collections that reference others first (steps before runs, posts before media).
  const removeDocuments = async () => {
    for (const collection of [...scopedCollections(payload)].reverse()) {
      const dir = collection.upload ? staticDirOf(collection) : undefined
      for (;;) {
        const { docs } = await payload.db.find({
          collection: collection.slug as never,
          where: { tenant: { equals: tenantId } },
          sort: 'id',
          limit: config.batchSize,
          pagination: false,
          select: collection.upload ? { filename: true, sizes: true } : { id: true },
        })
        if (!docs.length) break
        const ids = docs.map((d) => d.id as Id)
        if (dir)
          for (const doc of docs)
            for (const file of uploadFilesOf(doc)) {
              // Gone already (a rerun after a crash between the files and the rows) is fine.
              await unlink(path.join(dir, file)).catch((error: NodeJS.ErrnoException) => {
                if (error.code !== 'ENOENT') throw error
              })
              progress.files++
            }
        if (collection.versions)
          await payload.db.deleteVersions({ collection: collection.slug as never, where: { parent: { in: ids } } })
        await payload.db.deleteMany({ collection: collection.slug as never, where: { id: { in: ids } } })
        progress.deleted[collection.slug] = (progress.deleted[collection.slug] ?? 0) + ids.length
        await save()
      }
      // Versions whose document is gone already (drafts of deleted documents keep the tenant).
      if (collection.versions)
        await payload.db.deleteVersions({
          collection: collection.slug as never,
          where: { 'version.tenant': { equals: tenantId } },
        })
    }
  }
  await removeDocuments()

  // Memberships: the first page again each time, since every user handled leaves the set.
  for (;;) {
    const next = await usersOfTenant(payload, tenantId, config.batchSize).next()
    const users = (next.value ?? []) as unknown as Membership[]
    if (!users.length) break
    for (const user of users) {
      if (fateOf(user, tenantId) === 'delete') {
        await payload.delete({ collection: 'users', id: user.id, overrideAccess: true })
        progress.deleted.users = (progress.deleted.users ?? 0) + 1
      } else {
        const tenants = (user.tenants ?? [])
          .filter((r) => String(idOf(r.tenant)) !== String(tenantId))
          .map((r) => ({ id: r.id, tenant: idOf(r.tenant), roles: r.roles }))
        await payload.update({ collection: 'users', id: user.id, data: { tenants } as never, overrideAccess: true })
        progress.deleted.memberships = (progress.deleted.memberships ?? 0) + 1
      }
    }
    await save()
  }

  // Hooks of the membership step (the audit log's membership entries) may have written tenant rows again.
  await removeDocuments()
  if (await findTenant(payload, tenantId))
    await payload.delete({ collection: 'tenants', id: tenantId, overrideAccess: true })
  progress.tenant = true
  await save({ status: JOB_STATUS.succeeded, finishedAt: new Date().toISOString(), error: null })
  await reportEvent(payload, {
    type: 'deletion-finished',
    tenant: { id: tenantId, slug: row.tenantSlug },
    jobId,
    counts: progress.deleted,
  })
  return progress
}

export interface TenantDataWorker {
  stop(options?: { graceMs?: number }): Promise<void>
}

/** Works the deletion queue in this process (`pnpm worker`, or in-process in dev). */
export async function startTenantDataWorker(
  payload: Payload,
  options: RunDeletionOptions = {},
): Promise<TenantDataWorker> {
  const boss = await tenantDataBossOf(payload)
  const { queue } = tenantDataConfigOf(payload)
  const workerId = await boss.work<DeleteJobData>(
    DELETE_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 2, includeMetadata: true },
    async ([job]) => {
      if (!job) return
      try {
        await runDeletion(payload, job.data.job, options)
      } catch (error) {
        const message = (error as Error).message
        payload.logger.error({ err: error }, `tenant-data: deletion of tenant ${job.data.tenant} failed (will retry)`)
        // The last attempt marks the row failed; earlier ones leave it running for the retry.
        const final = ((job as unknown as { retryCount?: number }).retryCount ?? 0) >= queue.retryLimit
        await payload.db
          .updateOne({
            collection: JOBS_SLUG as never,
            id: job.data.job,
            data: { error: message.slice(0, 2000), ...(final ? { status: JOB_STATUS.failed } : {}) },
          })
          .catch(() => {})
        throw error
      }
    },
  )
  return {
    async stop({ graceMs = 10_000 } = {}) {
      await boss.offWork(DELETE_QUEUE, { id: workerId, wait: true } as never).catch(() => {})
      await stopTenantDataBoss(payload, graceMs)
    },
  }
}
