/** Metadata for CMS documents: title, description, Open Graph and a canonical URL on the tenant's host. */
import type { Metadata } from 'next'
import { mediaRef } from './data/cms'

interface Seo {
  metaTitle?: string | null
  metaDescription?: string | null
  ogImage?: unknown
}

export function seoMetadata(
  fallbackTitle: string,
  seo: Seo | null | undefined,
  path: string,
  description?: string | null,
): Metadata {
  const title = seo?.metaTitle || fallbackTitle
  const desc = seo?.metaDescription || description || undefined
  const image = mediaRef(seo?.ogImage, 'card')
  return {
    title: { absolute: title },
    description: desc,
    alternates: { canonical: path },
    openGraph: {
      title,
      description: desc,
      url: path,
      images: image ? [{ url: image.url, alt: image.alt }] : undefined,
    },
  }
}
