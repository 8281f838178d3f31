/** A readable word diff for text and rich text (Lexical JSON is compared as its text). */

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string }

/** The plain text of a value: strings as they are, Lexical/rich text as its text nodes, lists joined. */
export function textOf(value: unknown): string {
  if (value == null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.map(textOf).join(', ')
  if (typeof value === 'object') {
    const node = value as { root?: unknown; text?: unknown; children?: unknown[]; type?: string }
    if (node.root) return textOf(node.root)
    if (typeof node.text === 'string') return node.text
    if (Array.isArray(node.children)) {
      const sep = node.type === 'root' ? '\n' : ''
      return node.children.map(textOf).join(sep)
    }
    return JSON.stringify(value)
  }
  return String(value)
}

/** Word-level diff (LCS); long texts fall back to a whole replacement to stay fast. */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = before.split(/(\s+)/).filter((t) => t !== '')
  const b = after.split(/(\s+)/).filter((t) => t !== '')
  if (a.length * b.length > 4_000_000)
    return [
      ...(before ? [{ kind: 'removed' as const, text: before }] : []),
      ...(after ? [{ kind: 'added' as const, text: after }] : []),
    ]
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!)
  const parts: DiffPart[] = []
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = parts[parts.length - 1]
    if (last?.kind === kind) last.text += text
    else parts.push({ kind, text })
  }
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push('same', a[i]!)
      i++
      j++
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) push('removed', a[i++]!)
    else push('added', b[j++]!)
  }
  while (i < a.length) push('removed', a[i++]!)
  while (j < b.length) push('added', b[j++]!)
  return parts
}

/** Field-by-field comparison of an approval's current and proposed values. */
export function fieldDiffs(current: Record<string, unknown> | null, proposed: Record<string, unknown> | null) {
  const keys = [...new Set([...Object.keys(proposed ?? {}), ...Object.keys(current ?? {})])]
  return keys.map((field) => {
    const before = textOf(current?.[field])
    const after = textOf(proposed?.[field])
    return { field, before, after, changed: before !== after, parts: diffWords(before, after) }
  })
}
