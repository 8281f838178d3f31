/**
 * The plugin's REST endpoints, for platform admins only (401 signed out, 403 anyone else):
 *
 *   GET  /api/tenants/:id/export     streams the tenant's archive (tar.gz) as it is written; the
 *                                    `X-Tenant-Data-Job` header names the row whose `progress` to poll
 *   POST /api/tenant-import          body: the archive (raw `application/gzip`, or multipart field `file`) → 201
 *   POST /api/tenants/:id/deletion   `{ "dryRun": true }` → 200 counts; `{}` → 202 with the job id
 *   GET  /api/tenants/:id/deletion   the latest deletion's status and progress
 *
 * Progress of any job: `GET /api/tenant-data-jobs/:jobId` (the collection is readable by platform admins).
 */
import { Readable } from 'node:stream'
import type { Endpoint, PayloadHandler, PayloadRequest } from 'payload'
import { z } from 'zod'
import { JOB_KIND, JOB_STATUS, JOBS_SLUG } from './constants.ts'
import { reportEvent, tenantDataConfigOf } from './defaults.ts'
import { planDeletion, requestDeletion } from './deletion.ts'
import { exportTenant, findTenant } from './export.ts'
import { ImportError, importTenant } from './import.ts'

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers })
const problem = (status: number, message: string) => json({ errors: [{ message }] }, status)

/** 401 / 403 unless the request comes from a platform admin; undefined when it may go on. */
async function refuse(req: PayloadRequest): Promise<Response | undefined> {
  if (!req.user) return problem(401, 'Sign in as a platform admin to use this endpoint.')
  if (!(await tenantDataConfigOf(req.payload).access(req)))
    return problem(403, 'Only platform admins (super-admins) may export, import or delete tenants.')
  return undefined
}

const tenantIdSchema = z.coerce
  .number({ error: 'The tenant id must be a number' })
  .int('The tenant id must be a whole number')
  .positive('The tenant id must be positive')

function tenantIdOf(req: PayloadRequest): number | Response {
  const parsed = tenantIdSchema.safeParse(req.routeParams?.id)
  return parsed.success
    ? parsed.data
    : problem(400, `${parsed.error.issues[0]!.message} (got "${String(req.routeParams?.id)}")`)
}

const exportHandler: PayloadHandler = async (req) => {
  const refused = await refuse(req)
  if (refused) return refused
  const tenantId = tenantIdOf(req)
  if (tenantId instanceof Response) return tenantId
  const { payload } = req
  const tenant = await findTenant(payload, tenantId)
  if (!tenant) return problem(404, `No tenant with id ${tenantId}.`)
  const row = (await payload.create({
    collection: JOBS_SLUG as never,
    data: {
      kind: JOB_KIND.export,
      status: JOB_STATUS.running,
      tenantKey: String(tenantId),
      tenantSlug: String(tenant.slug),
      requestedBy: (req.user as { email?: string } | null)?.email,
      startedAt: new Date().toISOString(),
    } as never,
  })) as unknown as { id: number }
  // One write at a time, in order: the last progress line never overtakes the final status.
  let writes = Promise.resolve()
  const record = (data: Record<string, unknown>) => {
    writes = writes.then(() =>
      payload.db
        .updateOne({ collection: JOBS_SLUG as never, id: row.id, data })
        .then(() => {})
        .catch(() => {}),
    )
    return writes
  }
  const archive = await exportTenant(payload, tenantId, { onProgress: (progress) => void record({ progress }) })
  let finished = false
  archive.done.then(
    async ({ manifest }) => {
      finished = true
      const documents = manifest.collections.reduce((n, c) => n + c.documents, 0)
      await record({ status: JOB_STATUS.succeeded, finishedAt: new Date().toISOString(), result: manifest })
      await reportEvent(
        payload,
        { type: 'export', tenant: { id: tenantId, slug: manifest.tenant.slug }, jobId: row.id, documents },
        req,
      )
    },
    async (error: Error) => {
      finished = true
      await record({ status: JOB_STATUS.failed, finishedAt: new Date().toISOString(), error: error.message })
    },
  )
  const stream = archive.stream as Readable
  // A client that goes away stops the export instead of leaving it waiting for a reader.
  stream.on('close', () => {
    if (!finished) void record({ status: JOB_STATUS.failed, error: 'The download was interrupted' })
  })
  const date = new Date().toISOString().slice(0, 10)
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    status: 200,
    headers: {
      'content-type': 'application/gzip',
      'content-disposition': `attachment; filename="tenant-${String(tenant.slug)}-${date}.tar.gz"`,
      'x-tenant-data-job': String(row.id),
      'x-tenant-data-total': String(archive.total),
      'cache-control': 'no-store',
    },
  })
}

const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream', 'application/x-tar']

const importHandler: PayloadHandler = async (req) => {
  const refused = await refuse(req)
  if (refused) return refused
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  let body: ReadableStream<Uint8Array> | null = null
  if (type === 'multipart/form-data') {
    const form = await (req as unknown as Request).formData().catch(() => undefined)
    const file = form?.get('file')
    if (!(file instanceof Blob)) return problem(400, 'Send the archive in a form field named "file".')
    body = file.stream()
  } else if (ARCHIVE_TYPES.includes(type)) body = (req as unknown as Request).body
  else
    return problem(
      415,
      `Send the archive as the request body with Content-Type: application/gzip (got "${type || 'none'}"), or as multipart field "file".`,
    )
  if (!body) return problem(400, 'The request has no body: send the archive made by the export.')
  try {
    const summary = await importTenant(req.payload, body)
    const documents = Object.values(summary.documents).reduce((a, b) => a + b, 0)
    const row = (await req.payload.create({
      collection: JOBS_SLUG as never,
      data: {
        kind: JOB_KIND.import,
        status: JOB_STATUS.succeeded,
        tenantKey: String(summary.tenant.id),
        tenantSlug: summary.tenant.slug,
        requestedBy: (req.user as { email?: string } | null)?.email,
        result: summary,
        finishedAt: new Date().toISOString(),
      } as never,
    })) as unknown as { id: number }
    await reportEvent(req.payload, { type: 'import', tenant: summary.tenant, jobId: row.id as number, documents }, req)
    return json({ message: `Imported tenant "${summary.tenant.slug}"`, job: row.id, ...summary }, 201)
  } catch (error) {
    if (error instanceof ImportError) return problem(error.status, error.message)
    throw error
  }
}

const deletionBody = z.strictObject({
  dryRun: z.boolean({ error: '"dryRun" must be true or false' }).optional(),
})

const deletionHandler: PayloadHandler = async (req) => {
  const refused = await refuse(req)
  if (refused) return refused
  const tenantId = tenantIdOf(req)
  if (tenantId instanceof Response) return tenantId
  let raw: unknown = {}
  const text = await (req as unknown as Request).text?.().catch(() => '')
  if (text?.trim()) {
    try {
      raw = JSON.parse(text)
    } catch {
      return problem(400, 'The body is not valid JSON. Send {"dryRun": true} for the counts, or {} to delete.')
    }
  }
  const parsed = deletionBody.safeParse(raw)
  if (!parsed.success)
    return problem(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '))
  if (parsed.data.dryRun) {
    const plan = await planDeletion(req.payload, tenantId)
    return plan ? json({ dryRun: true, ...plan }) : problem(404, `No tenant with id ${tenantId}.`)
  }
  const job = await requestDeletion(req.payload, tenantId, {
    requestedBy: (req.user as { email?: string } | null)?.email,
    req,
  })
  if (!job) return problem(404, `No tenant with id ${tenantId}.`)
  return json(
    {
      message: job.existing ? 'A deletion of this tenant is already under way.' : 'Deletion queued.',
      job: job.id,
      status: job.status,
    },
    202,
    { location: `/api/tenant-data-jobs/${job.id}` },
  )
}

const deletionStatusHandler: PayloadHandler = async (req) => {
  const refused = await refuse(req)
  if (refused) return refused
  const tenantId = tenantIdOf(req)
  if (tenantId instanceof Response) return tenantId
  const { docs } = await req.payload.find({
    collection: JOBS_SLUG as never,
    where: { and: [{ kind: { equals: JOB_KIND.deletion } }, { tenantKey: { equals: String(tenantId) } }] },
    sort: '-createdAt',
    limit: 1,
    depth: 0,
  })
  const job = docs[0] as Record<string, unknown> | undefined
  if (!job) return problem(404, `No deletion was requested for tenant ${tenantId}.`)
  return json({
    job: job.id,
    status: job.status,
    tenant: { id: tenantId, slug: job.tenantSlug },
    plan: job.plan,
    progress: job.progress,
    error: job.error ?? null,
    attempts: job.attempts,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
  })
}

/** Endpoints on the `tenants` collection. */
export const tenantEndpoints: Endpoint[] = [
  { path: '/:id/export', method: 'get', handler: exportHandler },
  { path: '/:id/deletion', method: 'post', handler: deletionHandler },
  { path: '/:id/deletion', method: 'get', handler: deletionStatusHandler },
]

/** Root endpoints. */
export const rootEndpoints: Endpoint[] = [{ path: '/tenant-import', method: 'post', handler: importHandler }]
