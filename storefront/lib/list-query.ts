/** Listing query parameters from the URL, validated: a bad value falls back, never errors. */
import { z } from 'zod'
import { type ListQuery, SORTS, type SortKey } from './data/products'

const schema = z.object({
  page: z.coerce.number().int().min(1).max(1000).catch(1),
  sort: z
    .string()
    .refine((s): s is SortKey => s in SORTS)
    .catch('newest'),
  q: z.string().trim().max(100).optional().catch(undefined),
})

export function parseListQuery(searchParams: Record<string, string | string[] | undefined>): ListQuery {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
  const parsed = schema.parse({
    page: first(searchParams.page) ?? 1,
    sort: first(searchParams.sort) ?? 'newest',
    q: first(searchParams.q) || undefined,
  })
  return { page: parsed.page, sort: parsed.sort as SortKey, q: parsed.q }
}
