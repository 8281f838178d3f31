import { describe, expect, it } from 'vitest'
import { lexicalToHtml } from './lexical-html'

const doc = (...children: unknown[]) => ({ root: { type: 'root', children } })
const p = (...children: unknown[]) => ({ type: 'paragraph', children })
const t = (text: string, format = 0) => ({ type: 'text', text, format })

describe('lexicalToHtml', () => {
  it('renders headings, lists, formats and links', () => {
    const html = lexicalToHtml(
      doc(
        { type: 'heading', tag: 'h2', children: [t('What we do')] },
        p(t('We run '), t('SEO', 1), t(' and '), t('content', 2)),
        { type: 'list', listType: 'bullet', children: [{ type: 'listitem', children: [t('Audits')] }] },
        p({ type: 'link', fields: { url: 'https://example.com', newTab: true }, children: [t('site')] }),
      ),
    )
    expect(html).toBe(
      '<h2>What we do</h2><p>We run <strong>SEO</strong> and <em>content</em></p><ul><li>Audits</li></ul><p><a href="https://example.com" target="_blank" rel="noopener noreferrer">site</a></p>',
    )
  })

  it('escapes text and drops script links', () => {
    const html = lexicalToHtml(
      doc(
        p(t('<script>alert(1)</script>'), { type: 'link', fields: { url: 'javascript:alert(1)' }, children: [t('x')] }),
      ),
    )
    expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;x</p>')
  })

  it('gives nothing for a value that is not rich text', () => {
    expect(lexicalToHtml(null)).toBe('')
    expect(lexicalToHtml('plain')).toBe('')
  })
})
