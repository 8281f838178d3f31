/**
 * Tenants and documents for agent packs: the one `Id` type, the one form of a tenant id, and the
 * tenant-checked reads and writes agents make through the Payload Local API.
 *
 * One form, fixed at the boundary: an id is what Payload itself returns, a number for the Postgres
 * adapter's serial ids (a string only where a collection uses text or uuid ids). Ids that arrive as
 * text — a URL segment, pg-boss job data, the runtime's `ctx.tenant` (a string in `@bizosaas/agents`)
 * — become that form once, with `idOf` (may be absent) or `tenantRef` (a run's tenant, required), and
 * are compared with `sameId`. A string of digits always becomes a number.
 *
 * Tenant-checked: a document of another tenant is refused like a missing one; its content is never
 * loaded (only its tenant is looked up, to say why) and never written.
 *
 * Ground floor: imports nothing of the plugin beyond Payload's types.
 */
import type { Payload } from 'payload'

/** A Payload document or tenant id: a number for serial ids, a string for text or uuid ids. */
export type Id = number | string

/** A relationship value as Payload returns it: the id at depth 0, the document at depth ≥ 1. */
export type IdRef = Id | { id: Id }

/** A document an agent reads or writes. */
export interface DocumentRef<C extends string = string> {
  collection: C
  id: Id
}

/** A document at depth 0, loosely typed on purpose: packs run inside whatever CMS generated its own types. */
export type DocumentData = Record<string, unknown> & { id: Id; tenant?: IdRef | null; _status?: unknown }

/** Where to read: `locale` (undefined: the default locale); `fallback: false` shows only what is stored in it. */
export interface ReadOptions {
  locale?: string
  fallback?: boolean
}

/**
 * Request context of every write an agent makes: the agents plugin's collection triggers skip such
 * writes, so an applied proposal never starts another run.
 */
export const APPLY_CONTEXT = Object.freeze({ agentsApplying: true as const })

const DIGITS = /^\d+$/

/** The Payload Local API the agents plugin hands to tools and `apply` as `ctx.services.payload`. */
export function payloadOf(services: { payload?: Payload }): Payload {
  if (!services.payload)
    throw new Error('This agent needs the Payload Local API: run it through @bizosaas/plugin-agents')
  return services.payload
}

/**
 * An id in its one form, from whatever carried it: a number, text (`"12"` becomes `12`), or a
 * populated relationship (`{ id }`). Undefined when there is none (null, undefined, empty text) or
 * the value is not an id.
 */
export function idOf(value: unknown): Id | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined
  if (typeof value === 'string') {
    const text = value.trim()
    if (!text) return undefined
    return DIGITS.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text
  }
  if (value && typeof value === 'object' && 'id' in value) return idOf((value as { id: unknown }).id)
  return undefined
}

/** Whether two values name the same id (`12`, `"12"` and `{ id: 12 }` do); never true when either is absent. */
export function sameId(a: unknown, b: unknown): boolean {
  const left = idOf(a)
  return left !== undefined && left === idOf(b)
}

/**
 * A run's tenant (`ctx.tenant`, a string in the runtime) as Payload's id, for queries and writes.
 * Throws when the run has none: agents that call this work on tenant-owned documents.
 */
export function tenantRef(tenant: unknown): Id {
  const id = idOf(tenant)
  if (id === undefined) throw new Error('This agent works on tenant-owned documents and needs the run tenant')
  return id
}

const refusedNoTenant = 'Refused: this run has no tenant, and documents belong to tenants'
const notFound = (ref: DocumentRef) => `No ${ref.collection} document with id ${ref.id}`
const otherTenant = (ref: DocumentRef) =>
  `Refused: ${ref.collection} ${ref.id} belongs to another tenant. Agents only read and change documents of the tenant they run for.`

/** The tenant of a document, looked up alone (nothing else of it is loaded); null when there is no such document. */
async function tenantOfDocument(payload: Payload, ref: DocumentRef): Promise<Id | undefined | null> {
  const found = await payload.findByID({
    collection: ref.collection as never,
    id: ref.id,
    depth: 0,
    select: { tenant: true } as never,
    overrideAccess: true,
    disableErrors: true,
  })
  return found ? idOf((found as { tenant?: unknown }).tenant) : null
}

/**
 * Reads a document of the run's tenant at depth 0, as editors see it in the admin: with drafts
 * enabled, its pending draft when there is one. A missing document, another tenant's, or a run
 * without tenant is an error message (tools hand it to the model; `apply` throws it, see
 * `requireTenantDocument`).
 */
export async function readTenantDocument(
  payload: Payload,
  ref: DocumentRef,
  tenant: unknown,
  options: ReadOptions = {},
): Promise<{ doc: DocumentData; error?: undefined } | { error: string }> {
  const wanted = idOf(tenant)
  if (wanted === undefined) return { error: refusedNoTenant }
  const owner = await tenantOfDocument(payload, ref)
  if (owner === null) return { error: notFound(ref) }
  if (owner !== wanted) return { error: otherTenant(ref) }
  const doc = (await payload.findByID({
    collection: ref.collection as never,
    id: ref.id,
    depth: 0,
    draft: true,
    overrideAccess: true,
    disableErrors: true,
    ...(options.locale ? { locale: options.locale as never } : {}),
    ...(options.fallback === false ? { fallbackLocale: false as never } : {}),
  })) as DocumentData | null
  // Deleted or moved to another tenant between the two reads: the same answers as above.
  if (!doc) return { error: notFound(ref) }
  if (!sameId(doc.tenant, wanted)) return { error: otherTenant(ref) }
  return { doc }
}

/** `readTenantDocument` for `apply` and `current`: a refusal throws its message. */
export async function requireTenantDocument(
  payload: Payload,
  ref: DocumentRef,
  tenant: unknown,
  options: ReadOptions = {},
): Promise<DocumentData> {
  const found = await readTenantDocument(payload, ref, tenant, options)
  if (found.error !== undefined) throw new Error(found.error)
  return found.doc
}

/**
 * Writes fields of a document of the run's tenant as an agent: no access checks, and no agent
 * triggers fire on it (`APPLY_CONTEXT`). `latest` is the document as the agent read it with
 * `readTenantDocument` (read here when not given); when its latest version is a draft (unpublished
 * edits, or never published), the write becomes a new draft version, so it neither publishes those
 * edits nor unpublishes the live version. Another tenant's document, or a `latest` that is not
 * `ref`'s, throws the refusal and nothing is written.
 */
export async function updateDocument(
  payload: Payload,
  ref: DocumentRef,
  tenant: unknown,
  data: Record<string, unknown>,
  options: { locale?: string; latest?: DocumentData } = {},
): Promise<DocumentData> {
  const { locale } = options
  const wanted = idOf(tenant)
  if (wanted === undefined) throw new Error(refusedNoTenant)
  const latest = options.latest ?? (await requireTenantDocument(payload, ref, wanted, { locale }))
  if (!sameId(latest.id, ref.id)) throw new Error(`Not ${ref.collection} ${ref.id}: the document read was ${latest.id}`)
  if (!sameId(latest.tenant, wanted)) throw new Error(otherTenant(ref))
  return (await payload.update({
    collection: ref.collection as never,
    id: ref.id,
    data: data as never,
    depth: 0,
    draft: latest._status === 'draft',
    overrideAccess: true,
    context: { ...APPLY_CONTEXT },
    ...(locale ? { locale: locale as never } : {}),
  })) as unknown as DocumentData
}
