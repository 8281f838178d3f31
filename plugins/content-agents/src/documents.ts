/**
 * Reading and writing the documents agents work on through the Payload Local API: tenant checks,
 * locales, and comparisons that keep `apply` idempotent. Collection slugs and data are loosely typed
 * on purpose: the pack runs inside whatever CMS generated its own types.
 */
import type { AgentServices } from '@bizosaas/agents'
import type { Block, Config, Field, Payload } from 'payload'
import { APPLY_CONTEXT, type ContentCollection } from './constants.ts'
import type { LocaleSettings } from './types.ts'

export type Id = number | string
export type DocumentData = Record<string, unknown> & { id: Id; tenant?: Id | { id: Id } | null }
export interface DocumentRef {
  collection: ContentCollection
  id: Id
}

/** The Payload Local API the agents plugin hands to tools and `apply`. */
export function payloadOf(services: AgentServices): Payload {
  if (!services.payload)
    throw new Error('Content agents need the Payload Local API: run them through @bizosaas/plugin-agents')
  return services.payload
}

/** Locale codes and default of a (sanitized or raw) Payload config; undefined without localization. */
export function localeSettings(localization: Config['localization']): LocaleSettings | undefined {
  if (!localization) return undefined
  const codes = localization.locales.map((locale) => (typeof locale === 'string' ? locale : locale.code))
  if (!codes.length) return undefined
  return { codes: codes as [string, ...string[]], defaultLocale: localization.defaultLocale }
}

/**
 * Checks a requested locale against the running Payload's localization (undefined: the default
 * locale). Returns an error message a model or reviewer can act on.
 */
export function resolveLocale(
  payload: Payload,
  requested?: string,
): { locale?: string; error?: undefined } | { error: string } {
  const settings = localeSettings(payload.config.localization)
  if (!settings) {
    return requested === undefined
      ? { locale: undefined }
      : { error: `This CMS has no localization, so there is no locale "${requested}"` }
  }
  const locale = requested ?? settings.defaultLocale
  if (!settings.codes.includes(locale))
    return { error: `Unknown locale "${locale}". Configured locales: ${settings.codes.join(', ')}` }
  return { locale }
}

/** Like `resolveLocale`, for `apply` and `current`: an unknown locale is an error. */
export function requireLocale(payload: Payload, requested?: string): string | undefined {
  const resolved = resolveLocale(payload, requested)
  if (resolved.error !== undefined) throw new Error(resolved.error)
  return resolved.locale
}

export const idOf = (value: Id | { id: Id } | null | undefined): Id | undefined =>
  value && typeof value === 'object' ? value.id : (value ?? undefined)

/** A run's tenant (a string in the runtime) as Payload's id: serial ids are numbers. */
export function tenantRef(tenant: string | undefined): Id {
  if (tenant === undefined || tenant === '')
    throw new Error('This agent writes tenant-owned documents and needs the run tenant')
  return /^\d+$/.test(tenant) ? Number(tenant) : tenant
}

/**
 * Reads the latest version of a document (depth 0): with drafts enabled, the pending draft when there
 * is one, as editors see it in the admin. `fallback: false` shows only what is stored in that locale.
 */
export async function readDocument(
  payload: Payload,
  ref: DocumentRef,
  options: { locale?: string; fallback?: boolean } = {},
): Promise<DocumentData | undefined> {
  const doc = await payload.findByID({
    collection: ref.collection as never,
    id: ref.id,
    depth: 0,
    draft: true,
    overrideAccess: true,
    disableErrors: true,
    ...(options.locale ? { locale: options.locale as never } : {}),
    ...(options.fallback === false ? { fallbackLocale: false as never } : {}),
  })
  return (doc ?? undefined) as DocumentData | undefined
}

/**
 * Reads a document of the run's tenant. Another tenant's document, or none, is an error message
 * (tools hand it to the model; `apply` throws it).
 */
export async function readTenantDocument(
  payload: Payload,
  ref: DocumentRef,
  tenant: string | undefined,
  options: { locale?: string; fallback?: boolean } = {},
): Promise<{ doc: DocumentData; error?: undefined } | { error: string }> {
  if (tenant === undefined) return { error: 'Refused: this run has no tenant, and documents belong to tenants' }
  const doc = await readDocument(payload, ref, options)
  if (!doc) return { error: `No ${ref.collection} document with id ${ref.id}` }
  if (String(idOf(doc.tenant)) !== String(tenant))
    return {
      error: `Refused: ${ref.collection} ${ref.id} belongs to another tenant. Agents only read and change documents of the tenant they run for.`,
    }
  return { doc }
}

/** `readTenantDocument` for `apply` and `current`: refusals throw. */
export async function requireTenantDocument(
  payload: Payload,
  ref: DocumentRef,
  tenant: string | number | undefined,
  options: { locale?: string; fallback?: boolean } = {},
): Promise<DocumentData> {
  const found = await readTenantDocument(payload, ref, tenant === undefined ? undefined : String(tenant), options)
  if (found.error !== undefined) throw new Error(found.error)
  return found.doc
}

/**
 * Why a document cannot take texts in `locale` yet: it has no version there (its required title is
 * missing), so a write in that locale would fail validation. Undefined when it can.
 */
export function missingLocaleVersion(ref: DocumentRef, doc: DocumentData, locale: string | undefined) {
  if (!locale || (typeof doc.title === 'string' && doc.title.trim())) return undefined
  return `${ref.collection} ${ref.id} has no "${locale}" version yet: translate it into "${locale}" first (translate agent), then run this agent again`
}

/**
 * What `apply` of a per-locale agent starts from: the run's target document in the run's locale,
 * of the run's tenant, with a version in that locale. Refusals throw (the run fails with the reason).
 */
export async function requireLocalizedTarget(ctx: {
  services: AgentServices
  tenant?: string
  input: { target: unknown; locale?: string }
}): Promise<{ payload: Payload; ref: DocumentRef; locale: string | undefined; doc: DocumentData }> {
  const payload = payloadOf(ctx.services)
  const locale = requireLocale(payload, ctx.input.locale)
  const ref = ctx.input.target as DocumentRef
  const doc = await requireTenantDocument(payload, ref, ctx.tenant, { locale, fallback: false })
  const missing = missingLocaleVersion(ref, doc, locale)
  if (missing) throw new Error(missing)
  return { payload, ref, locale, doc }
}

/**
 * Writes fields of a document in one locale as an agent (no access checks, no agent triggers).
 * `latest` is the document as read before: when its latest version is a draft (unpublished edits,
 * or never published), the write becomes a new draft version, so it neither publishes those edits
 * nor unpublishes the live version; it goes live with the editor's next publish.
 */
export async function updateDocument(
  payload: Payload,
  ref: DocumentRef,
  data: Record<string, unknown>,
  { locale, latest }: { locale: string | undefined; latest: DocumentData },
): Promise<void> {
  await payload.update({
    collection: ref.collection as never,
    id: ref.id,
    data: data as never,
    depth: 0,
    draft: latest._status === 'draft',
    overrideAccess: true,
    context: { ...APPLY_CONTEXT },
    ...(locale ? { locale: locale as never } : {}),
  })
}

/** The sanitized fields of a collection. */
export function fieldsOf(payload: Payload, collection: string): Field[] {
  const config = (payload.collections as Record<string, { config: { fields: Field[] } } | undefined>)[collection]
    ?.config
  if (!config) throw new Error(`Collection "${collection}" does not exist in this CMS`)
  return config.fields
}

/** Blocks referenced by slug (`blockReferences`) live in the config's `blocks`. */
export function blockLookup(payload: Payload): (slug: string) => Block | undefined {
  return (slug) => payload.config.blocks?.find((block) => block.slug === slug) as Block | undefined
}
