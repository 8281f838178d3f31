/**
 * What a social post is made from: a blog post, a page, a product (`product-content`) or a free brief,
 * read for the model (title, text, public URL, image) and again by `apply` (the link and the campaign the
 * post records). The public URL is built from the tenant's first storefront domain and the storefront's
 * routes (`/blog/<slug>`, `/<slug>`, `/products/<handle>`); the storefront's proxy adds the region.
 */
import { type DocumentData, type Id, idOf, readTenantDocument } from '@bizosaas/plugin-agents'
import type { Payload, PayloadRequest } from 'payload'
import { z } from 'zod'

/** Collections a source can be, by kind. */
export const SOURCE_COLLECTIONS = { post: 'posts', page: 'pages', product: 'product-content' } as const
export type DocumentSourceKind = keyof typeof SOURCE_COLLECTIONS

const idField = z
  .union([z.number().int().positive(), z.string().trim().min(1)])
  .describe('Id of the document in its collection')

/** A source as agent input. */
export const sourceInput = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('post').describe('A blog post (`posts`)'), id: idField }),
    z.object({ kind: z.literal('page').describe('A site page (`pages`)'), id: idField }),
    z.object({ kind: z.literal('product').describe('A product (`product-content`)'), id: idField }),
    z.object({
      kind: z.literal('brief').describe('A free brief written by a person'),
      brief: z.string().trim().min(10).max(5000).describe('What to post about, in the words of the person asking'),
      link: z.url().optional().describe('Page the post should link to, if any (absolute https URL)'),
    }),
  ])
  .describe('What the post is made from')
export type SourceInput = z.output<typeof sourceInput>

/** An image the source carries that variants can attach (Payload media). */
export interface SourceImage {
  id: Id
  alt: string
  mimeType: string
  filesize: number
  filename?: string
}

/** A source as the model reads it. */
export interface SourceContent {
  kind: SourceInput['kind']
  id: Id | null
  title: string
  /** The excerpt or meta description, when the source has one. */
  summary: string
  /** Plain text, cut to `TEXT_MAX`. */
  text: string
  /** The public page, without UTM parameters; null when the tenant has no domain (or a brief has no link). */
  url: string | null
  /** UTM campaign the post records: the input's, else the source's slug or handle, else `social`. */
  campaign: string
  image: SourceImage | null
  /** Whether a document source is published (a draft has no public page yet). */
  published: boolean
}

export const TEXT_MAX = 12_000
const CAMPAIGN = /[^a-z0-9-]+/g

/** A UTM campaign from free text: lower-case words joined by dashes. */
export function campaignSlug(value: string): string {
  return value.toLowerCase().replace(CAMPAIGN, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 80)
}

/** Every `text` of a Lexical tree (or any JSON holding one: page blocks), one paragraph per line. */
export function plainText(value: unknown): string {
  const lines: string[] = []
  const walk = (node: unknown): string => {
    if (Array.isArray(node)) return node.map(walk).join('')
    if (!node || typeof node !== 'object') return ''
    const record = node as Record<string, unknown>
    if (record.type === 'text' && typeof record.text === 'string') return record.text
    if (record.type === 'linebreak') return '\n'
    let inline = ''
    for (const [key, child] of Object.entries(record)) {
      if (key === 'children') inline += walk(child)
      else if (child && typeof child === 'object') {
        const nested = walk(child)
        if (nested.trim()) lines.push(nested.trim())
      }
    }
    const block = ['paragraph', 'heading', 'listitem', 'quote'].includes(String(record.type))
    if (block && inline.trim()) {
      lines.push(inline.trim())
      return ''
    }
    return inline
  }
  const rest = walk(value)
  if (rest.trim()) lines.push(rest.trim())
  return lines.join('\n')
}

/** The tenant's storefront origin (`https://<first domain>`), or null without a domain. */
export async function tenantOrigin(payload: Payload, tenant: Id, req?: PayloadRequest): Promise<string | null> {
  const doc = (await payload.findByID({
    collection: 'tenants' as never,
    id: tenant,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
    ...(req ? { req } : {}),
  })) as { domains?: { domain?: string }[] } | null
  const domain = doc?.domains?.find((d) => typeof d.domain === 'string' && d.domain)?.domain
  return domain ? `https://${domain}` : null
}

async function imageOf(payload: Payload, value: unknown): Promise<SourceImage | null> {
  const id = idOf(typeof value === 'object' && value ? (value as { id?: unknown }).id : value)
  if (id === undefined) return null
  const media = (await payload.findByID({
    collection: 'media' as never,
    id,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
  })) as Record<string, unknown> | null
  if (!media) return null
  return {
    id,
    alt: typeof media.alt === 'string' ? media.alt : '',
    mimeType: String(media.mimeType ?? ''),
    filesize: Number(media.filesize ?? 0),
    ...(typeof media.filename === 'string' ? { filename: media.filename } : {}),
  }
}

const pathOf = (kind: DocumentSourceKind, doc: DocumentData): string | null => {
  if (kind === 'product') return typeof doc.handle === 'string' && doc.handle ? `/products/${doc.handle}` : null
  const slug = typeof doc.slug === 'string' ? doc.slug : ''
  if (!slug) return null
  if (kind === 'post') return `/blog/${slug}`
  return slug === 'home' ? '/' : `/${slug}`
}

/**
 * Reads a source of the tenant for a social post. A missing document or another tenant's is an error
 * message (the tool hands it to the model; `apply` throws it).
 */
export async function readSource(
  payload: Payload,
  tenant: Id,
  source: SourceInput,
  campaign?: string,
): Promise<{ content: SourceContent; error?: undefined } | { error: string }> {
  const chosen = campaign ? campaignSlug(campaign) : ''
  if (source.kind === 'brief') {
    const firstLine = source.brief.split('\n')[0]!.trim()
    return {
      content: {
        kind: 'brief',
        id: null,
        title: firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine,
        summary: '',
        text: source.brief,
        url: source.link ?? null,
        campaign: chosen || 'social',
        image: null,
        published: true,
      },
    }
  }
  const collection = SOURCE_COLLECTIONS[source.kind]
  const found = await readTenantDocument(payload, { collection, id: source.id }, tenant)
  if (found.error !== undefined) return { error: found.error }
  const doc = found.doc
  const origin = await tenantOrigin(payload, tenant)
  const path = pathOf(source.kind, doc)
  let text: string
  let summary: string
  let image: SourceImage | null = null
  let published: boolean
  if (source.kind === 'product') {
    text = plainText(doc.description) || String(doc.medusaDescription ?? '')
    const seo = (doc.seo ?? {}) as { metaDescription?: string }
    summary = seo.metaDescription ?? ''
    published = doc.status === 'published'
  } else {
    const seo = (doc.seo ?? {}) as { metaDescription?: string; ogImage?: unknown }
    text = plainText(source.kind === 'post' ? doc.content : doc.layout)
    summary = String(doc.excerpt ?? seo.metaDescription ?? '')
    image = await imageOf(payload, doc.coverImage ?? seo.ogImage)
    published = doc._status === 'published' || Boolean(doc.publishedAt)
  }
  const slug = String(doc.slug ?? doc.handle ?? '')
  return {
    content: {
      kind: source.kind,
      id: doc.id,
      title: String(doc.title ?? ''),
      summary,
      text: text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX)}…` : text,
      url: origin && path ? `${origin}${path}` : null,
      campaign: chosen || campaignSlug(slug) || 'social',
      image,
      published,
    },
  }
}

/** `readSource` for `apply`: a refusal throws its message. */
export async function requireSource(
  payload: Payload,
  tenant: Id,
  source: SourceInput,
  campaign?: string,
): Promise<SourceContent> {
  const found = await readSource(payload, tenant, source, campaign)
  if (found.error !== undefined) throw new Error(found.error)
  return found.content
}

/** How a post records its source (`social-posts.source`). */
export function sourceField(source: SourceInput): { kind: SourceInput['kind']; id?: string; brief?: string } {
  return source.kind === 'brief' ? { kind: 'brief', brief: source.brief } : { kind: source.kind, id: String(source.id) }
}
