/**
 * Payload's Lexical JSON to HTML, for the node types Payload's default editor produces. A small
 * serializer of our own instead of `@payloadcms/richtext-lexical/html`: that package peers on payload,
 * @payloadcms/next and the admin UI, which a shop should not bundle. Every text is escaped and only
 * http(s), mailto and relative link targets pass.
 */
import { mediaPath } from './data/cms'

interface LexicalNode {
  type?: string
  tag?: string
  text?: string
  format?: number | string
  listType?: string
  children?: LexicalNode[]
  url?: string
  fields?: { url?: string; newTab?: boolean; linkType?: string; doc?: unknown }
  value?: { url?: string; alt?: string; width?: number; height?: number } | number | string
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

function safeHref(url: string | undefined): string | null {
  if (!url) return null
  if (/^(https?:|mailto:)/i.test(url) || url.startsWith('/') || url.startsWith('#')) return url
  return null
}

const FORMATS: [number, string][] = [
  [16, 'code'],
  [1, 'strong'],
  [2, 'em'],
  [8, 'u'],
  [4, 's'],
]

function text(node: LexicalNode): string {
  let html = escapeHtml(node.text ?? '')
  const format = typeof node.format === 'number' ? node.format : 0
  for (const [bit, tag] of FORMATS) if (format & bit) html = `<${tag}>${html}</${tag}>`
  return html
}

function children(node: LexicalNode): string {
  return (node.children ?? []).map((child) => serialize(child)).join('')
}

function serialize(node: LexicalNode): string {
  switch (node.type) {
    case 'root':
      return children(node)
    case 'text':
      return text(node)
    case 'linebreak':
      return '<br>'
    case 'tab':
      return '\t'
    case 'paragraph':
      return `<p>${children(node)}</p>`
    case 'heading': {
      const tag = /^h[1-6]$/.test(node.tag ?? '') ? node.tag : 'h2'
      return `<${tag}>${children(node)}</${tag}>`
    }
    case 'quote':
      return `<blockquote>${children(node)}</blockquote>`
    case 'list': {
      const tag = node.listType === 'number' ? 'ol' : 'ul'
      return `<${tag}>${children(node)}</${tag}>`
    }
    case 'listitem':
      return `<li>${children(node)}</li>`
    case 'horizontalrule':
      return '<hr>'
    case 'link':
    case 'autolink': {
      const href = safeHref(node.fields?.url ?? node.url)
      if (!href) return children(node)
      const target = node.fields?.newTab ? ' target="_blank" rel="noopener noreferrer"' : ''
      return `<a href="${escapeHtml(href)}"${target}>${children(node)}</a>`
    }
    case 'upload': {
      const media = typeof node.value === 'object' ? node.value : null
      if (!media?.url) return ''
      const src = mediaPath(media.url)
      const size = media.width && media.height ? ` width="${media.width}" height="${media.height}"` : ''
      return `<img src="${escapeHtml(src)}" alt="${escapeHtml(media.alt ?? '')}"${size} loading="lazy" decoding="async">`
    }
    default:
      return children(node)
  }
}

/** HTML for a Lexical rich-text value (`{ root: … }`); '' for anything else. */
export function lexicalToHtml(value: unknown): string {
  if (!value || typeof value !== 'object' || !('root' in value)) return ''
  return serialize((value as { root: LexicalNode }).root)
}
