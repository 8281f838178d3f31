/**
 * Test helpers: an archive's documents in a form that compares across databases — ids and timestamps
 * dropped, every reference replaced by "<collection>#<position in the archive>" (users by email), row ids
 * of arrays and blocks dropped, upload URLs dropped, files by content hash.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { extractArchive } from '../import.ts'
import { remapDocument } from '../references.ts'
import { scopedCollections } from '../scope.ts'

type Doc = Record<string, unknown>

export interface ArchiveContents {
  manifest: Doc
  tenant: Doc
  members: { email: string; roles: string[] }[]
  documents: Record<string, Doc[]>
  files: string[]
  /** Every archive entry's name. */
  entries: string[]
  /** All the archive's text (documents, tenant, members, manifest), for looking for secrets. */
  text: string
}

const strip = (value: unknown, depth = 0): unknown => {
  if (Array.isArray(value)) return value.map((v) => strip(v, depth + 1))
  if (value && typeof value === 'object') {
    const out: Doc = {}
    for (const [k, v] of Object.entries(value)) {
      if (['createdAt', 'updatedAt', 'url', 'thumbnailURL'].includes(k)) continue
      if (k === 'id' && depth > 0) continue
      out[k] = strip(v, depth + 1)
    }
    return out
  }
  return value
}

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(full, base)))
    else out.push(path.relative(base, full))
  }
  return out.sort()
}

const sha = (file: string) =>
  new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject)
  })

/** Reads an archive file and normalises it (see the file comment). */
export async function readArchive(payload: Payload, file: string): Promise<ArchiveContents> {
  const dir = await extractArchive(createReadStream(file))
  try {
    const entries = await walk(dir)
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))
    const tenant = JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8'))
    const people = JSON.parse(await readFile(path.join(dir, 'memberships.json'), 'utf8')) as {
      id: number
      email: string
      roles: string[]
    }[]
    let text = JSON.stringify([manifest, tenant, people])
    const raw: Record<string, Doc[]> = {}
    const position = new Map<string, string>()
    for (const c of scopedCollections(payload)) {
      raw[c.slug] = []
      const folder = path.join(dir, 'documents', c.slug)
      const pages = (await readdir(folder).catch(() => [] as string[])).sort()
      for (const page of pages) {
        const content = await readFile(path.join(folder, page), 'utf8')
        text += content
        for (const line of content.split('\n').filter(Boolean)) raw[c.slug]!.push(JSON.parse(line))
      }
      for (const [i, doc] of raw[c.slug]!.entries()) position.set(`${c.slug}:${doc.id}`, `${c.slug}#${i}`)
    }
    for (const p of people) position.set(`users:${p.id}`, `user:${p.email}`)
    position.set(`tenants:${tenant.id}`, 'tenant')
    const remap = (collection: string, id: number | string) =>
      position.get(`${collection}:${id}`) ?? `unknown ${collection}`
    const documents: Record<string, Doc[]> = {}
    const files: string[] = []
    for (const c of scopedCollections(payload)) {
      documents[c.slug] = raw[c.slug]!.map((doc, i) => {
        const mapped = remapDocument(c.config.flattenedFields, doc, { remap })
        delete mapped.id
        if (c.upload)
          for (const name of entries.filter((e) => e.startsWith(`media/${c.slug}/${doc.id}/`)))
            files.push(`${c.slug}#${i}/${path.basename(name)}`)
        return strip(mapped) as Doc
      })
    }
    const hashed: string[] = []
    for (const f of files) {
      const [slugAndIndex, name] = f.split('/')
      const [slug, index] = slugAndIndex!.split('#')
      const oldId = raw[slug!]![Number(index)]!.id
      hashed.push(`${f} ${await sha(path.join(dir, 'media', slug!, String(oldId), name!))}`)
    }
    const tenantsConfig = payload.config.collections.find((c) => c.slug === 'tenants')!
    const normalTenant = strip(remapDocument(tenantsConfig.flattenedFields, tenant, { remap })) as Doc
    delete normalTenant.id
    return {
      manifest,
      tenant: normalTenant,
      members: people
        .filter((p) => p.roles.length)
        .map((p) => ({ email: p.email, roles: [...p.roles].sort() }))
        .sort((a, b) => a.email.localeCompare(b.email)),
      documents,
      files: hashed.sort(),
      entries,
      text,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
