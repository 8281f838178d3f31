/**
 * Locales of the documents the content agents work on: which locales this CMS has, whether a
 * requested one exists, and whether a document has a version in it yet. Tenant checks, reads and
 * writes are `@bizosaas/plugin-agents`' (its documents module); this adds only what is about locales.
 */
import type { AgentServices } from '@bizosaas/agents'
import { type DocumentData, type DocumentRef, payloadOf, requireTenantDocument } from '@bizosaas/plugin-agents'
import type { Config, Payload } from 'payload'
import type { ContentCollection } from './constants.ts'
import type { LocaleSettings } from './types.ts'

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
}): Promise<{ payload: Payload; ref: DocumentRef<ContentCollection>; locale: string | undefined; doc: DocumentData }> {
  const payload = payloadOf(ctx.services)
  const locale = requireLocale(payload, ctx.input.locale)
  const ref = ctx.input.target as DocumentRef<ContentCollection>
  const doc = await requireTenantDocument(payload, ref, ctx.tenant, { locale, fallback: false })
  const missing = missingLocaleVersion(ref, doc, locale)
  if (missing) throw new Error(missing)
  return { payload, ref, locale, doc }
}
