/**
 * Lexical editor state as Payload stores it (`SerializedEditorState` JSON), built and read without the
 * Lexical packages: the pack only needs headings, paragraphs and the text nodes inside any node.
 */

export interface LexicalNode {
  type: string
  version: number
  children?: LexicalNode[]
  text?: string
  [key: string]: unknown
}

export interface LexicalState {
  root: LexicalNode
}

/** A text node of a state, by its position (child indices from the root). */
export interface LexicalTextNode {
  path: number[]
  text: string
  /** Position of the element the text belongs to (a paragraph, heading or list item; links are skipped). */
  block: number[]
}

/** Inline elements: their text belongs to the surrounding paragraph. */
const INLINE_ELEMENTS = new Set(['link', 'autolink'])

export function isLexicalState(value: unknown): value is LexicalState {
  const root = (value as { root?: { type?: unknown; children?: unknown } } | null)?.root
  return typeof root === 'object' && root !== null && root.type === 'root' && Array.isArray(root.children)
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

/** Same fields and defaults as Payload's own Markdown conversion stores. */
const paragraph = (text: string): LexicalNode => ({
  type: 'paragraph',
  version: 1,
  format: '',
  indent: 0,
  direction: null,
  textFormat: 0,
  textStyle: '',
  children: [textNode(text)],
})

const heading = (tag: 'h2' | 'h3', text: string): LexicalNode => ({
  type: 'heading',
  version: 1,
  tag,
  format: '',
  indent: 0,
  direction: null,
  children: [textNode(text)],
})

/** A document of sections: each an h2 heading followed by its paragraphs. */
export function lexicalFromSections(sections: ReadonlyArray<{ heading: string; paragraphs: readonly string[] }>) {
  const children = sections.flatMap((section) => [
    heading('h2', section.heading),
    ...section.paragraphs.map((text) => paragraph(text)),
  ])
  return {
    root: { type: 'root', version: 1, format: '', indent: 0, direction: null, children },
  } satisfies LexicalState
}

/** Every non-blank text node, depth first (document order). */
export function lexicalTextNodes(state: LexicalState): LexicalTextNode[] {
  const found: LexicalTextNode[] = []
  const visit = (node: LexicalNode, path: number[], block: number[]) => {
    if (typeof node.text === 'string') {
      if (node.text.trim()) found.push({ path, text: node.text, block })
      return
    }
    node.children?.forEach((child, index) => {
      const childPath = [...path, index]
      visit(child, childPath, INLINE_ELEMENTS.has(child.type) || child.children === undefined ? block : childPath)
    })
  }
  visit(state.root, [], [])
  return found
}

/** The node at `path` (child indices from the root), if any. */
export function lexicalNodeAt(state: LexicalState, path: readonly number[]): LexicalNode | undefined {
  let node: LexicalNode | undefined = state.root
  for (const index of path) node = node?.children?.[index]
  return node
}

/** Plain text: one line per paragraph, heading ("## ") or list item ("- "). */
export function lexicalPlainText(state: LexicalState): string {
  const lines = new Map<string, { prefix: string; text: string }>()
  for (const node of lexicalTextNodes(state)) {
    const key = node.block.join('.')
    const block = lexicalNodeAt(state, node.block)
    const prefix = block?.type === 'heading' ? '## ' : block?.type === 'listitem' ? '- ' : ''
    const line = lines.get(key) ?? { prefix, text: '' }
    line.text += node.text
    lines.set(key, line)
  }
  return [...lines.values()].map((line) => line.prefix + line.text.trim()).join('\n')
}
