import { describe, expect, it } from 'vitest'
import { descriptionLexical, descriptionPlainText, lexicalPlainText } from './description.ts'

const description = {
  paragraphs: ['A soft globe of hand-blown opal glass.', ' It hangs on a\n\ntextile cord. '],
  highlights: ['Opal glass', 'E27 bulb'],
}

describe('product descriptions', () => {
  it('writes Medusa text as paragraphs and bullet lines', () => {
    expect(descriptionPlainText(description)).toBe(
      'A soft globe of hand-blown opal glass.\n\nIt hangs on a textile cord.\n\n• Opal glass\n• E27 bulb',
    )
    expect(descriptionPlainText({ ...description, highlights: [] })).toBe(
      'A soft globe of hand-blown opal glass.\n\nIt hangs on a textile cord.',
    )
  })

  it('builds Lexical paragraphs and a bullet list that read back as the same text', () => {
    const state = descriptionLexical(description)
    expect(state.root.children?.map((node) => node.type)).toEqual(['paragraph', 'paragraph', 'list'])
    expect(state.root.children?.[2]).toMatchObject({ listType: 'bullet', tag: 'ul' })
    expect(state.root.children?.[2]?.children?.map((item) => item.type)).toEqual(['listitem', 'listitem'])
    expect(state.root.children?.[1]?.children?.[0]?.text).toBe('It hangs on a textile cord.')
    expect(lexicalPlainText(state)).toBe(descriptionPlainText(description))
    expect(lexicalPlainText(null)).toBe('')
    expect(lexicalPlainText({ root: { type: 'paragraph' } })).toBe('')
  })
})
