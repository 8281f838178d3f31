/**
 * Tenant export: writes a tenant as one gzipped tar (see ./archive.ts) into a stream, as it reads it.
 * Documents are read in keyset pages of `batchSize` and each page is written before the next is read;
 * files are piped from disk. tar-stream calls back only when its reader has taken an entry, so memory
 * stays flat however large the tenant is. Progress goes to `onProgress` after every page and file.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { Payload, Where } from 'payload'
import tar from 'tar-stream'
import { type Manifest, mediaPath, type Person } from './archive.ts'
import { ARCHIVE_FORMAT, ARCHIVE_PATHS } from './constants.ts'
import { tenantDataConfigOf } from './defaults.ts'
import { type ScopedCollection, scopedCollections } from './scope.ts'

type Id = number | string
type Doc = Record<string, unknown> & { id: Id }

export interface ExportProgress {
  /** Documents and files written so far. */
  done: number
  /** Documents and files to write (counted before writing starts). */
  total: number
  /** What is being written now, e.g. "posts" or "media files". */
  current: string
}

export interface ExportSummary {
  manifest: Manifest
}

export interface TenantExport {
  /** The gzipped archive; read it (pipe it to a file or a response) for the export to advance. */
  stream: NodeJS.ReadableStream
  /** Settles when the last byte was handed to the stream, with the manifest; rejects on failure. */
  done: Promise<ExportSummary>
  /** Documents and files to write. */
  total: number
}

/** The tenant's document as stored (all locales), or undefined when there is none with that id. */
export async function findTenant(payload: Payload, tenantId: Id): Promise<Doc | undefined> {
  const { docs } = await payload.db.find({
    collection: 'tenants',
    where: { id: { equals: tenantId } },
    locale: 'all',
    limit: 1,
    pagination: false,
  })
  return docs[0] as Doc | undefined
}

/** Counts what an export of the tenant writes: documents per collection and upload files. */
async function countTenant(payload: Payload, tenantId: Id, scoped: ScopedCollection[]) {
  const counts: Record<string, number> = {}
  for (const c of scoped)
    counts[c.slug] = (
      await payload.db.count({ collection: c.slug as never, where: { tenant: { equals: tenantId } } })
    ).totalDocs
  return counts
}

/** Upload files of a document: the original and every resized copy Payload made. */
export function uploadFilesOf(doc: Record<string, unknown>): string[] {
  const files = new Set<string>()
  if (typeof doc.filename === 'string' && doc.filename) files.add(doc.filename)
  const sizes = doc.sizes as Record<string, { filename?: string | null } | null> | undefined
  for (const size of Object.values(sizes ?? {})) if (size?.filename) files.add(size.filename)
  return [...files]
}

/** Where an upload collection keeps its files on disk. */
export function staticDirOf(collection: ScopedCollection): string | undefined {
  const upload = collection.config.upload as { staticDir?: string } | boolean
  return typeof upload === 'object' && upload.staticDir ? path.resolve(upload.staticDir) : undefined
}

/** Keyset pages of a tenant's documents in a collection, in id order, as stored (all locales). */
export async function* tenantDocuments(
  payload: Payload,
  collection: string,
  tenantId: Id,
  batchSize: number,
  locale: 'all' | undefined = 'all',
): AsyncGenerator<Doc[]> {
  let after: Id | undefined
  for (;;) {
    const where: Where = {
      and: [{ tenant: { equals: tenantId } }, ...(after === undefined ? [] : [{ id: { greater_than: after } }])],
    }
    const { docs } = await payload.db.find({
      collection: collection as never,
      where,
      sort: 'id',
      limit: batchSize,
      pagination: false,
      ...(locale ? { locale } : {}),
    })
    if (!docs.length) return
    yield docs as Doc[]
    after = (docs.at(-1) as Doc).id
    if (docs.length < batchSize) return
  }
}

/** Starts an export of `tenantId`; the archive is produced as `stream` is read. */
export async function exportTenant(
  payload: Payload,
  tenantId: Id,
  options: { onProgress?: (progress: ExportProgress) => void | Promise<void> } = {},
): Promise<TenantExport> {
  const config = tenantDataConfigOf(payload)
  const tenant = await findTenant(payload, tenantId)
  if (!tenant) throw new Error(`No tenant with id ${tenantId}`)
  const scoped = scopedCollections(payload)
  const counts = await countTenant(payload, tenantId, scoped)
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  const pack = tar.pack()
  const gzip = createGzip()
  const piped = pack.pipe(gzip)
  pack.on('error', (error) => gzip.destroy(error))

  const entry = (name: string, content: string | Buffer) =>
    new Promise<void>((resolve, reject) => pack.entry({ name }, content, (e) => (e ? reject(e) : resolve())))

  const write = async (): Promise<ExportSummary> => {
    let done = 0
    const progress = async (current: string) => options.onProgress?.({ done, total, current })
    const people = new Map<string, Person>()
    const mentioned = new Set<string>()
    const manifestCollections: Manifest['collections'] = []
    const missingFiles: string[] = []

    await entry(ARCHIVE_PATHS.tenant, JSON.stringify(tenant))
    for (const collection of scoped) {
      const omit = config.omitFields[collection.slug] ?? []
      const userFields = userReferenceFields(collection)
      const dir = collection.upload ? staticDirOf(collection) : undefined
      let page = 0
      let files = 0
      for await (const docs of tenantDocuments(payload, collection.slug, tenantId, config.batchSize)) {
        const lines = docs.map((doc) => {
          for (const name of omit) delete doc[name]
          for (const userId of userFields(doc)) mentioned.add(String(userId))
          return JSON.stringify(doc)
        })
        await entry(`documents/${collection.slug}/${String(page++).padStart(5, '0')}.ndjson`, `${lines.join('\n')}\n`)
        if (dir)
          for (const doc of docs)
            for (const filename of uploadFilesOf(doc)) {
              const file = path.join(dir, filename)
              const size = await stat(file).then(
                (s) => s.size,
                () => -1,
              )
              if (size < 0) {
                missingFiles.push(`${collection.slug}/${doc.id}/${filename}`)
                continue
              }
              const sink = pack.entry({ name: mediaPath(collection.slug, doc.id, filename), size })
              await pipeline(createReadStream(file), sink)
              files++
            }
        done += docs.length
        await progress(collection.slug)
      }
      manifestCollections.push({ slug: collection.slug, documents: counts[collection.slug] ?? 0, pages: page, files })
    }

    // Members with their roles in this tenant only; never password hashes, salts, API keys or sessions.
    for await (const users of usersOfTenant(payload, tenantId, config.batchSize))
      for (const user of users) {
        // Platform service accounts (the storefront's reader) belong to the platform, not the tenant.
        if (user.serviceAccount) continue
        const row = (user.tenants as { tenant?: unknown; roles?: string[] }[] | undefined)?.find(
          (r) => String(idOf(r.tenant)) === String(tenantId),
        )
        people.set(String(user.id), {
          id: user.id,
          email: String(user.email),
          name: (user.name as string | null | undefined) ?? null,
          roles: row?.roles ?? [],
        })
      }
    // People the documents name (a post's author, a run's trigger) who are not members: email and name only.
    const others = [...mentioned].filter((id) => !people.has(id))
    for (let i = 0; i < others.length; i += config.batchSize) {
      const { docs } = await payload.db.find({
        collection: 'users',
        where: { id: { in: others.slice(i, i + config.batchSize) } },
        pagination: false,
        limit: config.batchSize,
      })
      for (const user of docs as Doc[])
        people.set(String(user.id), {
          id: user.id,
          email: String(user.email),
          name: (user.name as string | null) ?? null,
          roles: [],
        })
    }
    await entry(ARCHIVE_PATHS.memberships, JSON.stringify([...people.values()]))

    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      exportedAt: new Date().toISOString(),
      tenant: {
        id: tenant.id,
        slug: String(tenant.slug),
        name: String(tenant.name ?? ''),
        domains: ((tenant.domains as { domain?: string }[] | undefined) ?? []).map((d) => String(d.domain)),
      },
      locales: localesOf(payload),
      collections: manifestCollections,
      memberships: [...people.values()].filter((p) => p.roles.length).length,
      missingFiles,
    }
    await entry(ARCHIVE_PATHS.manifest, JSON.stringify(manifest, null, 2))
    pack.finalize()
    return { manifest }
  }

  const done = write().catch((error) => {
    pack.destroy(error as Error)
    throw error
  })
  // The caller learns of a failure from `done` and from the stream's error.
  done.catch(() => {})
  return { stream: piped, done, total }
}

const idOf = (value: unknown): Id | undefined =>
  typeof value === 'object' && value !== null ? (value as { id: Id }).id : (value as Id | undefined)

export function localesOf(payload: Payload): string[] {
  const localization = payload.config.localization
  return localization ? localization.localeCodes : []
}

/** Users with a membership row in the tenant, in id order. */
export async function* usersOfTenant(payload: Payload, tenantId: Id, batchSize: number) {
  let after: Id | undefined
  for (;;) {
    const { docs } = await payload.db.find({
      collection: 'users',
      where: {
        and: [
          { 'tenants.tenant': { equals: tenantId } },
          ...(after === undefined ? [] : [{ id: { greater_than: after } }]),
        ],
      },
      sort: 'id',
      limit: batchSize,
      pagination: false,
    })
    if (!docs.length) return
    yield docs as Doc[]
    after = (docs.at(-1) as Doc).id
    if (docs.length < batchSize) return
  }
}

/** Top-level and nested references to `users` in a collection's documents (authors, run triggers, reviewers). */
function userReferenceFields(collection: ScopedCollection): (doc: Doc) => Id[] {
  return (doc) => {
    const ids: Id[] = []
    const walk = (fields: typeof collection.config.flattenedFields, data: Record<string, unknown> | undefined) => {
      if (!data) return
      for (const field of fields) {
        const value = data[field.name]
        if (value == null) continue
        if ((field.type === 'relationship' || field.type === 'upload') && field.relationTo === 'users')
          for (const v of Array.isArray(value) ? value : [value]) {
            const id = idOf(v)
            if (id !== undefined) ids.push(id)
          }
        else if (field.type === 'group' || field.type === 'tab')
          walk(field.flattenedFields, value as Record<string, unknown>)
      }
    }
    walk(collection.config.flattenedFields, doc)
    return ids
  }
}
