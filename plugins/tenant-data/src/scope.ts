/**
 * Which collections belong to a tenant, found in the config rather than listed: every collection
 * with a top-level `tenant` relationship to `tenants` (what the multi-tenant plugin adds). Collections
 * added later (the audit log, new agent packs) are exported and deleted without a change here.
 */
import type { FlattenedField, Payload, SanitizedCollectionConfig } from 'payload'
import { JOBS_SLUG } from './constants.ts'

export interface ScopedCollection {
  slug: string
  config: SanitizedCollectionConfig
  /** Upload collection: its files go into the archive and are removed from disk on deletion. */
  upload: boolean
  /** Has versions (drafts): their rows are removed with the documents. */
  versions: boolean
}

const isTenantField = (field: FlattenedField) =>
  field.name === 'tenant' && field.type === 'relationship' && field.relationTo === 'tenants' && !field.hasMany

/** The tenant-scoped collections, ordered so that a collection comes after those it references. */
export function scopedCollections(payload: Payload): ScopedCollection[] {
  const scoped = payload.config.collections.filter(
    (c) => (c.slug as string) !== JOBS_SLUG && c.slug !== 'tenants' && c.flattenedFields.some(isTenantField),
  )
  const slugs = new Set(scoped.map((c) => c.slug))
  const deps = new Map<string, Set<string>>(
    scoped.map((c) => [c.slug, referencedCollections(c.flattenedFields, slugs, c.slug)]),
  )
  // Depth-first topological order; a cycle (or a self-reference) is broken and resolved by a second pass on import.
  const ordered: string[] = []
  const seen = new Set<string>()
  const visit = (slug: string) => {
    if (seen.has(slug)) return
    seen.add(slug)
    for (const dep of deps.get(slug) ?? []) visit(dep)
    ordered.push(slug)
  }
  for (const c of scoped) visit(c.slug)
  return ordered.map((slug) => {
    const config = scoped.find((c) => c.slug === slug)!
    return { slug, config, upload: Boolean(config.upload), versions: Boolean(config.versions) }
  })
}

/** Tenant-scoped collections the fields point at (relationships and uploads, nested ones too). */
function referencedCollections(fields: FlattenedField[], scoped: Set<string>, self: string): Set<string> {
  const found = new Set<string>()
  const walk = (list: FlattenedField[]) => {
    for (const field of list) {
      if (field.type === 'relationship' || field.type === 'upload') {
        const targets = Array.isArray(field.relationTo) ? field.relationTo : [field.relationTo]
        for (const t of targets) if (scoped.has(t) && t !== self) found.add(t)
      } else if (field.type === 'group' || field.type === 'array' || field.type === 'tab') walk(field.flattenedFields)
      else if (field.type === 'blocks')
        for (const block of field.blocks ?? []) if (typeof block === 'object') walk(block.flattenedFields)
    }
  }
  walk(fields)
  return found
}
