/**
 * The tenant's audit log (plugin-audit-log's `audit-log` collection) through Payload's REST API with the
 * signed-in user's JWT: the CMS returns only entries of tenants the user administers, whatever is asked.
 * Filters: a person (part of an email), a collection, a date range.
 */
import { cmsFetch, selectQuery, whereQuery } from '@lib/data/cms'
import { z } from 'zod'

const idSchema = z.union([z.number(), z.string()])

const entrySchema = z.object({
  id: idSchema,
  action: z.string(),
  collectionSlug: z.string().nullish(),
  documentId: z.string().nullish(),
  userEmail: z.string().nullish(),
  changedFields: z.array(z.string()).nullish().catch(null),
  details: z.record(z.string(), z.unknown()).nullish().catch(null),
  ip: z.string().nullish(),
  createdAt: z.string(),
})
export type AuditEntry = z.infer<typeof entrySchema>

const ENTRY_FIELDS = [
  'action',
  'collectionSlug',
  'documentId',
  'userEmail',
  'changedFields',
  'details',
  'ip',
  'createdAt',
] as const

/** Query-string filters; anything malformed is dropped (the page then shows everything) rather than refused. */
export const auditFilters = z.object({
  person: z
    .string()
    .trim()
    .max(254)
    .regex(/^[^\s<>]*$/)
    .optional()
    .catch(undefined),
  collection: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .optional()
    .catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
})
export type AuditFilters = z.infer<typeof auditFilters>

export interface AuditPage {
  entries: AuditEntry[]
  total: number
  page: number
  pages: number
  /** Set when the CMS refused or failed: the reason, for the page to show. */
  error?: string
}

export async function listAuditEntries(
  token: string,
  tenant: string,
  filters: AuditFilters = {},
  limit = 50,
): Promise<AuditPage> {
  const q = whereQuery({
    tenant: { equals: tenant },
    userEmail: { like: filters.person?.toLowerCase() },
    collectionSlug: { equals: filters.collection },
    createdAt: {
      greater_than_equal: filters.from,
      less_than_equal: filters.to ? `${filters.to}T23:59:59.999Z` : undefined,
    },
  })
  const res = await cmsFetch<{ docs?: unknown[]; totalDocs?: number; page?: number; totalPages?: number }>(
    `/audit-log?${q}&${selectQuery(ENTRY_FIELDS)}&sort=-createdAt&depth=0&limit=${limit}&page=${filters.page ?? 1}`,
    { token },
  )
  const empty = { entries: [], total: 0, page: 1, pages: 1 }
  if (!res.ok) return { ...empty, error: 'The CMS would not list the audit log.' }
  const parsed = z.array(entrySchema).safeParse(res.body.docs ?? [])
  if (!parsed.success) return { ...empty, error: 'The CMS answered with entries the portal does not understand.' }
  return {
    entries: parsed.data,
    total: res.body.totalDocs ?? parsed.data.length,
    page: res.body.page ?? 1,
    pages: res.body.totalPages ?? 1,
  }
}
