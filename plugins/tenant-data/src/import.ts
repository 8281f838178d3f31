/**
 * Tenant import: reads an archive made by ./export.ts (from a stream, into a temporary folder), checks
 * its manifest with zod, refuses a tenant whose slug or any domain is taken here (409), then writes
 * everything in ONE database transaction: the tenant, its members (matched by email, or created with an
 * unusable random password — they reset it), every document with new ids (references rewritten by
 * ./references.ts; a reference to a document written later, e.g. a run's previous run, is filled in by
 * a second pass), and the upload files restored into the collection's folder under fresh names when a
 * name is taken. A failure rolls the transaction back and removes the files written: nothing is left.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { access, copyFile, mkdir, mkdtemp, readdir, readFile, rm, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { createLocalReq, type Payload, type PayloadRequest } from 'payload'
import tar from 'tar-stream'
import { z } from 'zod'
import { type Manifest, manifestSchema, membershipsSchema, SAFE_ENTRY } from './archive.ts'
import { ARCHIVE_PATHS } from './constants.ts'
import { staticDirOf, uploadFilesOf } from './export.ts'
import { remapDocument } from './references.ts'
import { type ScopedCollection, scopedCollections } from './scope.ts'

type Id = number | string
type Doc = Record<string, unknown>

/** A problem with the archive or a conflict with this installation: a 4xx with a message a person can act on. */
export class ImportError extends Error {
  override name = 'ImportError'
  constructor(
    message: string,
    readonly status: 400 | 409 | 413 = 400,
  ) {
    super(message)
  }
}

export interface ImportSummary {
  tenant: { id: Id; slug: string }
  /** Documents written per collection. */
  documents: Record<string, number>
  files: number
  users: { matched: number; created: number }
  /** References that pointed at nothing in the archive or this installation (left empty). */
  unresolved: number
}

const docSchema = z.record(z.string(), z.unknown()).refine((d) => 'id' in d, 'a document without an id')
const tenantSchema = z.looseObject({ id: z.union([z.number(), z.string()]), slug: z.string().min(1), name: z.string() })

/** Extracts an archive stream into a fresh temporary folder; refuses entries outside the known layout. */
export async function extractArchive(input: Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bizosaas-tenant-import-'))
  const extract = tar.extract()
  let bytes = 0
  const done = (async () => {
    for await (const entry of extract) {
      const name = entry.header.name
      if (entry.header.type === 'directory') {
        entry.resume()
        continue
      }
      if (entry.header.type !== 'file' || !SAFE_ENTRY.test(name) || name.split('/').includes('..'))
        throw new ImportError(`The archive holds "${name}", which is not part of a tenant archive`)
      bytes += entry.header.size ?? 0
      if (bytes > maxBytes) throw new ImportError(`The archive is larger than ${maxBytes} bytes`, 413)
      const target = path.join(dir, name)
      await mkdir(path.dirname(target), { recursive: true })
      await pipeline(entry, createWriteStream(target))
    }
  })()
  try {
    // Either side may fail first (a broken gzip also ends the entry loop); the caller gets one 4xx.
    const results = await Promise.allSettled([pipeline(input, createGunzip(), extract), done])
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []))
    if (failures.length) {
      const own = failures.find((e) => e instanceof ImportError)
      throw own ?? new ImportError(`The upload is not a gzipped tenant archive (${failures[0]!.message})`)
    }
    return dir
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

async function readJson<T>(dir: string, name: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let text: string
  try {
    text = await readFile(path.join(dir, name), 'utf8')
  } catch {
    throw new ImportError(`The archive has no ${name} (${what}); it is incomplete or not a tenant archive`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new ImportError(`${name} in the archive is not valid JSON`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success)
    throw new ImportError(
      `${name} in the archive is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    )
  return parsed.data
}

/** Reads and checks the manifest of an extracted archive. */
export function readManifest(dir: string): Promise<Manifest> {
  return readJson(dir, ARCHIVE_PATHS.manifest, manifestSchema, 'its manifest')
}

/** Refuses (409) when the tenant's slug or any of its domains already exists in this installation. */
export async function assertTenantFree(payload: Payload, manifest: Manifest, req?: Partial<PayloadRequest>) {
  const { docs } = await payload.db.find({
    collection: 'tenants',
    where: {
      or: [
        { slug: { equals: manifest.tenant.slug } },
        ...(manifest.tenant.domains.length ? [{ 'domains.domain': { in: manifest.tenant.domains } }] : []),
      ],
    },
    limit: 5,
    pagination: false,
    req,
  })
  if (!docs.length) return
  const tenants = docs as unknown as { id: Id; slug: string; domains?: { domain: string }[] }[]
  const taken = tenants.find((d) => d.slug === manifest.tenant.slug)
  if (taken)
    throw new ImportError(
      `A tenant with the slug "${manifest.tenant.slug}" already exists here (id ${taken.id}). Delete or rename it first.`,
      409,
    )
  const domains = new Set(tenants.flatMap((d) => (d.domains ?? []).map((r) => r.domain.toLowerCase())))
  const clash = manifest.tenant.domains.filter((d) => domains.has(d.toLowerCase()))
  throw new ImportError(
    `The domain${clash.length > 1 ? 's' : ''} ${clash.join(', ')} already belong${clash.length > 1 ? '' : 's'} to tenant "${tenants[0]!.slug}" here. Remove ${clash.length > 1 ? 'them' : 'it'} there first.`,
    409,
  )
}

/** Imports an extracted archive (see `extractArchive`). The folder is left for the caller to remove. */
export async function importExtracted(payload: Payload, dir: string): Promise<ImportSummary> {
  const manifest = await readManifest(dir)
  const scoped = scopedCollections(payload)
  const bySlug = new Map(scoped.map((c) => [c.slug, c]))
  const unknown = manifest.collections.filter((c) => c.documents > 0 && !bySlug.has(c.slug)).map((c) => c.slug)
  if (unknown.length)
    throw new ImportError(
      `This installation has no tenant collection ${unknown.map((s) => `"${s}"`).join(', ')}; install the plugins that add ${unknown.length > 1 ? 'them' : 'it'} first`,
    )
  const tenant = await readJson(dir, ARCHIVE_PATHS.tenant, tenantSchema, 'the tenant')
  if (tenant.slug !== manifest.tenant.slug) throw new ImportError('tenant.json and the manifest name different tenants')
  const people = await readJson(dir, ARCHIVE_PATHS.memberships, membershipsSchema, 'the members')
  await assertTenantFree(payload, manifest)

  const req = await createLocalReq({}, payload)
  const transactionID = await payload.db.beginTransaction()
  if (transactionID) req.transactionID = transactionID
  const written: string[] = []
  try {
    const summary = await writeTenant(payload, req, { dir, manifest, tenant, people, scoped, written })
    if (transactionID) await payload.db.commitTransaction(transactionID)
    return summary
  } catch (error) {
    if (transactionID) await payload.db.rollbackTransaction(transactionID)
    await Promise.all(written.map((file) => unlink(file).catch(() => {})))
    throw error
  }
}

/** Extracts and imports an archive stream (upload or file), then removes the temporary folder. */
export async function importTenant(
  payload: Payload,
  input: Readable | ReadableStream<Uint8Array>,
  options: { maxBytes?: number } = {},
): Promise<ImportSummary> {
  const stream = input instanceof Readable ? input : Readable.fromWeb(input as never)
  const dir = await extractArchive(stream, options.maxBytes)
  try {
    return await importExtracted(payload, dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Imports an archive file (the CLI). */
export function importTenantFile(payload: Payload, file: string): Promise<ImportSummary> {
  return importTenant(payload, createReadStream(file))
}

interface WriteInput {
  dir: string
  manifest: Manifest
  tenant: Doc & { id: Id; slug: string }
  people: z.output<typeof membershipsSchema>
  scoped: ScopedCollection[]
  written: string[]
}

async function writeTenant(payload: Payload, req: PayloadRequest, input: WriteInput): Promise<ImportSummary> {
  const { dir, manifest, tenant, people, scoped, written } = input
  const ids = new Map<string, Id>()
  const key = (collection: string, id: Id) => `${collection}:${id}`
  const scopedSlugs = new Set(scoped.map((c) => c.slug))
  let unresolved = 0
  let pending = false
  let newTenantId: Id | undefined
  const remap = (collection: string, id: Id): Id | null => {
    if (collection === 'tenants')
      return String(id) === String(tenant.id) && newTenantId !== undefined ? newTenantId : null
    const mapped = ids.get(key(collection, id))
    if (mapped !== undefined) return mapped
    if (scopedSlugs.has(collection)) pending = true
    else unresolved++
    return null
  }
  const tenantsConfig = payload.config.collections.find((c) => c.slug === 'tenants')!

  // The tenant first; its logo (a media document) is filled in by the second pass.
  const tenantData = remapDocument(tenantsConfig.flattenedFields, tenant, { remap: () => null, freshRowIds: true })
  delete tenantData.id
  // Medusa ids of the old installation mean nothing here: the shop is linked again from the tenant.
  tenantData.commerce = { enabled: false }
  const created = await payload.db.create({ collection: 'tenants', data: tenantData, req })
  newTenantId = created.id as Id

  // Members: matched by email, or created with a random password nobody knows (they reset it).
  let matched = 0
  let createdUsers = 0
  for (const person of people) {
    const { docs } = await payload.db.find({
      collection: 'users',
      where: { email: { equals: person.email.toLowerCase() } },
      limit: 1,
      pagination: false,
      req,
    })
    const existing = docs[0] as (Doc & { id: Id; tenants?: { tenant: unknown; roles: string[] }[] }) | undefined
    if (existing) {
      matched++
      ids.set(key('users', person.id), existing.id)
      if (person.roles.length)
        await payload.update({
          collection: 'users',
          id: existing.id,
          data: {
            tenants: [
              ...(existing.tenants ?? []).map((r) => ({ tenant: idOfValue(r.tenant), roles: r.roles })),
              { tenant: newTenantId, roles: person.roles },
            ],
          } as never,
          overrideAccess: true,
          req,
        })
    } else if (person.roles.length) {
      createdUsers++
      const user = await payload.create({
        collection: 'users',
        data: {
          email: person.email,
          name: person.name ?? undefined,
          password: randomBytes(32).toString('base64url'),
          tenants: [{ tenant: newTenantId, roles: person.roles }],
        } as never,
        overrideAccess: true,
        req,
      })
      ids.set(key('users', person.id), user.id as Id)
    }
  }

  // Documents, collection by collection in dependency order, page by page in the exporter's id order.
  const documents: Record<string, number> = {}
  const secondPass: { collection: ScopedCollection; original: Doc; id: Id }[] = []
  let files = 0
  for (const entry of manifest.collections) {
    const collection = scoped.find((c) => c.slug === entry.slug)
    if (!collection) continue
    documents[entry.slug] = 0
  }
  for (const collection of scoped) {
    const folder = path.join(dir, ARCHIVE_PATHS.documents, collection.slug)
    const pages = (await readdir(folder).catch(() => [])).filter((f) => f.endsWith('.ndjson')).sort()
    const staticDir = collection.upload ? staticDirOf(collection) : undefined
    for (const page of pages) {
      const lines = (await readFile(path.join(folder, page), 'utf8')).split('\n').filter(Boolean)
      for (const [index, line] of lines.entries()) {
        let original: Doc
        try {
          original = docSchema.parse(JSON.parse(line))
        } catch {
          throw new ImportError(`documents/${collection.slug}/${page} line ${index + 1} is not a document`)
        }
        pending = false
        const data = remapDocument(collection.config.flattenedFields, original, { remap, freshRowIds: true })
        const oldId = data.id as Id
        delete data.id
        data.tenant = newTenantId
        if (staticDir) files += await restoreFiles(dir, collection, staticDir, oldId, data, written)
        const doc = await payload.db.create({ collection: collection.slug as never, data, req })
        if (collection.versions) await recordVersion(payload, collection.slug, doc.id as Id, data, req)
        ids.set(key(collection.slug, oldId), doc.id as Id)
        if (pending) secondPass.push({ collection, original, id: doc.id as Id })
        documents[collection.slug] = (documents[collection.slug] ?? 0) + 1
      }
    }
  }

  // References to documents written after the one holding them (self-references, cycles, the tenant's logo).
  for (const { collection, original, id } of secondPass) {
    const data = remapDocument(collection.config.flattenedFields, original, { remap, freshRowIds: true })
    delete data.id
    data.tenant = newTenantId
    await payload.db.updateOne({ collection: collection.slug as never, id, data, req })
  }
  const logo = (tenant.brand as { logo?: unknown } | undefined)?.logo
  if (logo != null) {
    const mapped = remap('media', idOfValue(logo) as Id)
    if (mapped !== null) {
      const data = { ...tenantData, brand: { ...(tenantData.brand as Doc), logo: mapped } }
      await payload.db.updateOne({ collection: 'tenants', id: newTenantId, data, req })
    }
  }
  return {
    tenant: { id: newTenantId, slug: tenant.slug },
    documents,
    files,
    users: { matched, created: createdUsers },
    unresolved,
  }
}

const idOfValue = (value: unknown): unknown =>
  typeof value === 'object' && value !== null ? (value as { id: unknown }).id : value

/** The first version of an imported document, so the admin's version history starts with it. */
async function recordVersion(payload: Payload, collection: string, parent: Id, data: Doc, req: PayloadRequest) {
  const now = new Date().toISOString()
  await payload.db.createVersion({
    collectionSlug: collection as never,
    parent,
    versionData: data as never,
    autosave: false,
    createdAt: (data.createdAt as string | undefined) ?? now,
    updatedAt: (data.updatedAt as string | undefined) ?? now,
    req,
  })
}

/**
 * Copies a document's files from the archive into the collection's folder. A name already used there
 * gets a random prefix (on every file of the document, so sizes keep matching the original); the
 * document's `filename` and `sizes.*.filename` follow. Derived URLs are cleared (Payload makes them on read).
 */
async function restoreFiles(
  dir: string,
  collection: ScopedCollection,
  staticDir: string,
  oldId: Id,
  data: Doc,
  written: string[],
): Promise<number> {
  const names = uploadFilesOf(data)
  await mkdir(staticDir, { recursive: true })
  const exists = async (name: string) =>
    access(path.join(staticDir, name)).then(
      () => true,
      () => false,
    )
  let prefix = ''
  for (const name of names) if (await exists(name)) prefix = `${randomBytes(4).toString('hex')}-`
  const rename = (name: string) => `${prefix}${name}`
  let count = 0
  for (const name of names) {
    const source = path.join(dir, ARCHIVE_PATHS.media, collection.slug, String(oldId), name)
    const present = await access(source).then(
      () => true,
      () => false,
    )
    if (!present) continue
    const target = path.join(staticDir, rename(name))
    await copyFile(source, target)
    written.push(target)
    count++
  }
  if (typeof data.filename === 'string') data.filename = rename(data.filename)
  data.url = null
  data.thumbnailURL = null
  const sizes = data.sizes as Record<string, Doc | null> | undefined
  for (const size of Object.values(sizes ?? {}))
    if (size) {
      if (typeof size.filename === 'string') size.filename = rename(size.filename)
      size.url = null
    }
  return count
}
