import { describe, expect, it } from 'vitest'
import { lexicalFromText, lexicalToText } from './lexical.ts'

describe('product descriptions between Medusa text and Lexical', () => {
  it('turns paragraphs and bullet lines into rich text and back', () => {
    const text = 'A warm brass lamp.\n\nHand-finished in Rotterdam.\n\n• Brass shade\n• E27 bulb'
    const state = lexicalFromText(text)!
    expect(state.root.children?.map((node) => node.type)).toEqual(['paragraph', 'paragraph', 'list'])
    expect(state.root.children?.[2]?.children).toHaveLength(2)
    expect(lexicalToText(state)).toBe(text)
  })

  it('joins the lines of a paragraph, accepts "-" bullets, and treats blank text as no description', () => {
    expect(lexicalToText(lexicalFromText('one\ntwo\r\n\r\n- a\n- b'))).toBe('one two\n\n• a\n• b')
    expect(lexicalFromText('  \n ')).toBeNull()
    expect(lexicalFromText(null)).toBeNull()
    expect(lexicalToText(null)).toBe('')
    expect(lexicalToText({ nope: true })).toBe('')
  })
})
