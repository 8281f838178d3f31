/**
 * A product description in its two homes: plain text in Medusa (what the store API serves) and
 * Lexical rich text in product-content (what the CMS renders). The conversion is the Medusa bridge's,
 * so its product sync reads what the agent wrote as unchanged by editors.
 */
import { type LexicalState, lexicalFromText, lexicalToText } from '@bizosaas/plugin-medusa'

export interface ProductDescription {
  paragraphs: readonly string[]
  highlights: readonly string[]
}

/** Bullet of a highlight line in the plain-text description. */
export const HIGHLIGHT_BULLET = '• '

/** One line: the plain form separates blocks by blank lines, so texts must not contain line breaks. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/** Medusa's description: paragraphs separated by blank lines, then one "• " line per highlight. */
export function descriptionPlainText({ paragraphs, highlights }: ProductDescription): string {
  const blocks = paragraphs.map(oneLine).filter(Boolean)
  if (highlights.length) blocks.push(highlights.map((text) => `${HIGHLIGHT_BULLET}${oneLine(text)}`).join('\n'))
  return blocks.join('\n\n')
}

/** product-content's description: the paragraphs, then the highlights as a bullet list. */
export function descriptionLexical(description: ProductDescription): LexicalState {
  const state = lexicalFromText(descriptionPlainText(description))
  if (!state) throw new Error('A product description needs at least one paragraph')
  return state
}

/** Plain text of a Lexical state in the same form (not Lexical: an empty string). */
export const lexicalPlainText = (state: unknown): string => lexicalToText(state)
