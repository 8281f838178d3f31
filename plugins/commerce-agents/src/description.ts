/**
 * A product description in its two homes: plain text in Medusa (what the store API serves) and
 * Lexical rich text in product-content (what the CMS renders). Lexical JSON is built and read without
 * the Lexical packages, with the fields Payload's own conversions store.
 */

export interface ProductDescription {
  paragraphs: readonly string[]
  highlights: readonly string[]
}

export interface LexicalNode {
  type: string
  version: number
  children?: LexicalNode[]
  text?: string
  [key: string]: unknown
}

/** Bullet of a highlight line in the plain-text description. */
export const HIGHLIGHT_BULLET = '• '

/** Medusa's description: paragraphs separated by blank lines, then one "• " line per highlight. */
export function descriptionPlainText({ paragraphs, highlights }: ProductDescription): string {
  const blocks = paragraphs.map((text) => text.trim())
  if (highlights.length) blocks.push(highlights.map((text) => `${HIGHLIGHT_BULLET}${text.trim()}`).join('\n'))
  return blocks.join('\n\n')
}

const textNode = (text: string): LexicalNode => ({
  type: 'text',
  version: 1,
  text,
  format: 0,
  style: '',
  mode: 'normal',
  detail: 0,
})

const element = { format: '', indent: 0, direction: null } as const

const paragraph = (text: string): LexicalNode => ({
  type: 'paragraph',
  version: 1,
  ...element,
  textFormat: 0,
  textStyle: '',
  children: [textNode(text)],
})

const bulletList = (items: readonly string[]): LexicalNode => ({
  type: 'list',
  version: 1,
  ...element,
  listType: 'bullet',
  start: 1,
  tag: 'ul',
  children: items.map((text, index) => ({
    type: 'listitem',
    version: 1,
    ...element,
    value: index + 1,
    children: [textNode(text)],
  })),
})

/** product-content's description: the paragraphs, then the highlights as a bullet list. */
export function descriptionLexical({ paragraphs, highlights }: ProductDescription): { root: LexicalNode } {
  const children = paragraphs.map((text) => paragraph(text.trim()))
  if (highlights.length) children.push(bulletList(highlights.map((text) => text.trim())))
  return { root: { type: 'root', version: 1, ...element, children } }
}

/**
 * Plain text of a Lexical state: one line per paragraph, heading or list item (items prefixed "• "),
 * blocks separated by blank lines. Not Lexical: an empty string.
 */
export function lexicalPlainText(state: unknown): string {
  const root = (state as { root?: LexicalNode } | null)?.root
  if (root?.type !== 'root' || !Array.isArray(root.children)) return ''
  const textOf = (node: LexicalNode): string =>
    typeof node.text === 'string' ? node.text : (node.children ?? []).map(textOf).join('')
  const blocks = root.children.map((block) =>
    block.type === 'list'
      ? (block.children ?? []).map((item) => `${HIGHLIGHT_BULLET}${textOf(item).trim()}`).join('\n')
      : textOf(block).trim(),
  )
  return blocks.filter(Boolean).join('\n\n')
}
