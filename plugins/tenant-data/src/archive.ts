/**
 * The archive's layout and its manifest, checked with zod on import. A tenant archive is a gzipped tar:
 *
 *   tenant.json                               the tenant document (all locales)
 *   documents/<collection>/<page>.ndjson      every document of each tenant-scoped collection, one per line
 *   media/<collection>/<id>/<filename>        each upload's original file and its resized copies
 *   memberships.json                          members (email, name, roles in this tenant) and other people the documents name
 *   manifest.json                             written last: format, tenant, counts per collection
 */
import { z } from 'zod'
import { ARCHIVE_FORMAT } from './constants.ts'

const id = z.union([z.number().int(), z.string().min(1).max(100)])

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT, {
    error: `This archive is not a BizOSaaS tenant archive of format ${ARCHIVE_FORMAT}`,
  }),
  exportedAt: z.iso.datetime(),
  tenant: z.object({
    id,
    slug: z.string().min(1).max(200),
    name: z.string().max(500),
    domains: z.array(z.string().max(300)),
  }),
  locales: z.array(z.string()),
  collections: z.array(
    z.object({
      slug: z.string().regex(/^[a-z0-9-]+$/),
      documents: z.number().int().min(0),
      pages: z.number().int().min(0),
      files: z.number().int().min(0),
    }),
  ),
  memberships: z.number().int().min(0),
  missingFiles: z.array(z.string()).default([]),
})
export type Manifest = z.output<typeof manifestSchema>

export const personSchema = z.object({
  id,
  email: z.email(),
  name: z.string().nullish(),
  /** Roles in the exported tenant; empty for people the documents name who are not members (post authors …). */
  roles: z.array(z.string()),
})
export const membershipsSchema = z.array(personSchema)
export type Person = z.output<typeof personSchema>

export const documentsPath = (collection: string, page: number) =>
  `documents/${collection}/${String(page).padStart(5, '0')}.ndjson`
export const mediaPath = (collection: string, docId: number | string, filename: string) =>
  `media/${collection}/${docId}/${filename}`
/** Archive entry names must stay inside the archive's folders. */
export const SAFE_ENTRY =
  /^(manifest\.json|tenant\.json|memberships\.json|documents\/[a-z0-9-]+\/\d{5}\.ndjson|media\/[a-z0-9-]+\/[A-Za-z0-9_-]+\/[^/\\]+)$/
