/**
 * Product descriptions between Medusa (plain text) and Payload (Lexical rich text). The plain form:
 * paragraphs separated by blank lines, bullet points as lines starting with "• " (or "- "). The two
 * functions round-trip that form, so the sync can tell whether an editor changed the rich text.
 */

interface LexicalNode {
  type: string
  version: number
  children?: LexicalNode[]
  text?: string
  [key: string]: unknown
}

export interface LexicalState {
  root: LexicalNode
}

const BULLET = /^\s*[•\-*]\s+/

const text = (value: string): LexicalNode => ({
  type: 'text',
  version: 1,
  text: value,
  format: 0,
  style: '',
  mode: 'normal',
  detail: 0,
})

const element = (type: string, children: LexicalNode[], extra: Record<string, unknown> = {}): LexicalNode => ({
  type,
  version: 1,
  format: '',
  indent: 0,
  direction: null,
  ...extra,
  children,
})

/** Rich text from the plain form: a paragraph per block, a bullet list per run of "• " lines. */
export function lexicalFromText(plain: string | null | undefined): LexicalState | null {
  const blocks = (plain ?? '')
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
  if (!blocks.length) return null
  const children: LexicalNode[] = []
  for (const block of blocks) {
    const lines = block.split('\n').map((line) => line.trim())
    if (lines.every((line) => BULLET.test(line))) {
      children.push(
        element(
          'list',
          lines.map((line, index) =>
            element('listitem', [text(line.replace(BULLET, ''))], { value: index + 1, checked: undefined }),
          ),
          { listType: 'bullet', start: 1, tag: 'ul' },
        ),
      )
    } else {
      children.push(element('paragraph', [text(lines.join(' '))], { textFormat: 0, textStyle: '' }))
    }
  }
  return { root: element('root', children) }
}

const inlineText = (node: LexicalNode): string =>
  typeof node.text === 'string'
    ? node.text
    : node.type === 'linebreak'
      ? ' '
      : (node.children ?? []).map(inlineText).join('')

/** The plain form of rich text: paragraphs and headings separated by blank lines, list items as "• " lines. */
export function lexicalToText(state: unknown): string {
  const root = (state as LexicalState | null)?.root
  if (!root || !Array.isArray(root.children)) return ''
  const blocks: string[] = []
  for (const node of root.children) {
    if (node.type === 'list') {
      const items = (node.children ?? []).map((item) => `• ${inlineText(item).trim()}`).filter((l) => l.length > 2)
      if (items.length) blocks.push(items.join('\n'))
    } else {
      const line = inlineText(node).trim()
      if (line) blocks.push(line)
    }
  }
  return blocks.join('\n\n')
}
