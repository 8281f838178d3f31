import { describe, expect, it } from 'vitest'
import { diffWords, fieldDiffs, textOf } from './diff.ts'

describe('approval diff', () => {
  it('marks the words added and removed, and rebuilds both texts', () => {
    const before = 'Care for ceramics'
    const after = 'How to care for handmade ceramics'
    const parts = diffWords(before, after)
    const text = (kinds: string[]) =>
      parts
        .filter((p) => kinds.includes(p.kind))
        .map((p) => p.text)
        .join('')
    expect(text(['same', 'removed'])).toBe(before)
    expect(text(['same', 'added'])).toBe(after)
    expect(parts).toContainEqual({ kind: 'removed', text: 'Care' })
    expect(parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toContain('handmade')
    expect(text(['same']).replace(/\s+/g, ' ').trim()).toBe('for ceramics')
    expect(diffWords('same text', 'same text')).toEqual([{ kind: 'same', text: 'same text' }])
  })

  it('compares rich text by its text and lists as joined values', () => {
    const lexical = {
      root: {
        type: 'root',
        children: [
          {
            type: 'paragraph',
            children: [
              { type: 'text', text: 'Hello ' },
              { type: 'text', text: 'world' },
            ],
          },
          { type: 'paragraph', children: [{ type: 'text', text: 'Second' }] },
        ],
      },
    }
    expect(textOf(lexical)).toBe('Hello world\nSecond')
    const diffs = fieldDiffs({ body: lexical, keywords: [] }, { body: lexical, keywords: ['a', 'b'] })
    expect(diffs.find((d) => d.field === 'body')?.changed).toBe(false)
    expect(diffs.find((d) => d.field === 'keywords')).toMatchObject({ changed: true, after: 'a, b' })
  })
})
