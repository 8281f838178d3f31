/**
 * Payload's REST API, read from the server only. Every read is cached in Next's data cache under tags
 * (revalidated by POST /api/revalidate), so shoppers never wait on the CMS and a CMS outage keeps
 * serving what was cached.
 */
import { isCmsFault, reportCmsFailure } from '@lib/cms-health'
import { storefrontEnv } from '@lib/env'
import type { z } from 'zod'

export class CmsUnavailableError extends Error {
  override name = 'CmsUnavailableError'
}

export interface CmsReadOptions {
  tags: string[]
  /** Seconds before a background refresh even without a tag revalidation. @default 3600 */
  revalidate?: number
}

/** GET `/api<pathAndQuery>` from Payload, validated by `schema`. */
export async function cmsGet<T extends z.ZodType>(
  pathAndQuery: string,
  schema: T,
  options: CmsReadOptions,
): Promise<z.output<T>> {
  const env = storefrontEnv()
  const headers: Record<string, string> = { accept: 'application/json' }
  if (env.CMS_API_KEY) headers.authorization = `users API-Key ${env.CMS_API_KEY}`
  let res: Response
  try {
    res = await fetch(`${env.CMS_URL}/api${pathAndQuery}`, {
      headers,
      cache: 'force-cache',
      next: { tags: ['cms', ...options.tags], revalidate: options.revalidate ?? 3600 },
      signal: AbortSignal.timeout(10_000),
    })
  } catch (error) {
    const message = `The content service is unreachable (${(error as Error).message})`
    reportCmsFailure(message)
    throw new CmsUnavailableError(message)
  }
  if (!res.ok) {
    const message = `The content service answered ${res.status} for ${pathAndQuery.split('?')[0]}`
    // Refused key or a CMS fault: the proxy answers 503 for pages not in the cache until it recovers.
    if (isCmsFault(res.status)) reportCmsFailure(message)
    throw new CmsUnavailableError(message)
  }
  const parsed = schema.safeParse(await res.json())
  if (!parsed.success)
    throw new Error(`Unexpected CMS response for ${pathAndQuery.split('?')[0]}: ${parsed.error.message}`)
  return parsed.data
}

/** A query string for Payload's `where` syntax: `{ slug: { equals: 'x' } }` → `where[slug][equals]=x`. */
export function cmsQuery(params: Record<string, unknown>): string {
  const parts: string[] = []
  const walk = (prefix: string, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(`${prefix}[${k}]`, v)
    } else if (value !== undefined) parts.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`)
  }
  for (const [key, value] of Object.entries(params)) walk(key, value)
  return parts.length ? `?${parts.join('&')}` : ''
}

const mediaSizes = ['thumbnail', 'card', 'hero', 'heroPhone', 'heroWide'] as const

export interface MediaRef {
  url: string
  alt: string
  width: number | null
  height: number | null
  /** WebP renditions by width (`/media/x-800.webp 800w, …`), when Payload made them (cms/src/collections/media.ts). */
  srcSet?: string
}

type MediaSize = { url?: string | null; width?: number | null; height?: number | null } | undefined

/** Where the browser loads a Payload media document (optionally one of its sizes). */
export function mediaRef(media: unknown, size?: (typeof mediaSizes)[number]): MediaRef | null {
  if (!media || typeof media !== 'object') return null
  const doc = media as {
    url?: string | null
    alt?: string | null
    width?: number | null
    height?: number | null
    sizes?: Record<string, MediaSize>
  }
  const chosen = size && doc.sizes?.[size]?.url ? doc.sizes[size] : doc
  if (!chosen?.url) return null
  // Served through the storefront's own /media route (Payload's media needs a reader's key, and the
  // route checks the file belongs to the tenant of the host).
  return {
    url: mediaPath(chosen.url),
    alt: doc.alt ?? '',
    width: chosen.width ?? null,
    height: chosen.height ?? null,
  }
}

/**
 * A wide image (hero, media block, post cover) for phones and desktops alike: `hero` (the original's
 * format) as `src`, and the WebP sizes `heroPhone` (800 px) and `heroWide` (1600 px) as `srcSet`, so a
 * phone downloads the small WebP and never the 1600 px original. Images uploaded before the WebP sizes
 * existed have no srcSet and keep `hero`.
 */
export function responsiveMedia(media: unknown): MediaRef | null {
  const ref = mediaRef(media, 'hero')
  if (!ref) return null
  const sizes = (media as { sizes?: Record<string, MediaSize> }).sizes ?? {}
  const webp = [sizes.heroPhone, sizes.heroWide].filter((s): s is { url: string; width: number } =>
    Boolean(s?.url && s.width),
  )
  return webp.length ? { ...ref, srcSet: webp.map((s) => `${mediaPath(s.url)} ${s.width}w`).join(', ') } : ref
}

/** `/media/<filename>` for a Payload file URL (absolute or relative). */
export function mediaPath(url: string): string {
  const pathname = url.startsWith('http') ? new URL(url).pathname : url
  return `/media/${pathname.split('/').pop()}`
}
