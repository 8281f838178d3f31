/** The compose interpolation scanner: it must see every variable compose would substitute, and nothing else. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation syntax is the subject of these tests
import { describe, expect, it } from 'vitest'
import { composeVariables, interpolate, oneShotServices, readCompose } from './compose.ts'

describe('composeVariables', () => {
  it('finds ${VAR}, $VAR and every operator, with its argument', () => {
    expect(
      composeVariables('a: ${A}\nb: $B/x\nc: ${C:-x y}\nd: ${D:?Set D (openssl rand -hex 32)}\ne: ${E-}\nf: ${F:+on}'),
    ).toEqual([
      { name: 'A', operator: '', argument: '' },
      { name: 'B', operator: '', argument: '' },
      { name: 'C', operator: ':-', argument: 'x y' },
      { name: 'D', operator: ':?', argument: 'Set D (openssl rand -hex 32)' },
      { name: 'E', operator: '-', argument: '' },
      { name: 'F', operator: ':+', argument: 'on' },
    ])
  })

  it('follows defaults that hold variables themselves', () => {
    expect(composeVariables('url: ${URL:-https://${HOST:-localhost}:${PORT}}').map((ref) => ref.name)).toEqual([
      'URL',
      'HOST',
      'PORT',
    ])
  })

  it('skips $$, the escape for a literal dollar', () => {
    expect(composeVariables('cmd: echo $$HOME $${NOT} ${YES}').map((ref) => ref.name)).toEqual(['YES'])
  })

  it('rejects what compose would reject', () => {
    expect(() => composeVariables('x: ${OPEN')).toThrow(/unclosed/)
    expect(() => composeVariables('x: ${1BAD}')).toThrow(/not a compose variable/)
  })
})

describe('interpolate', () => {
  const vars = { SET: 'v', EMPTY: '', HOST: 'h' }

  it('substitutes values and defaults as compose does (":" also treats empty as unset)', () => {
    expect(interpolate('${SET} $SET ${MISSING}', vars)).toBe('v v ')
    expect(interpolate('${EMPTY:-d} ${EMPTY-d} ${MISSING-d} ${SET:-d}', vars)).toBe('d  d v')
    expect(interpolate('${URL:-https://${HOST:-x}:${PORT:-443}}', vars)).toBe('https://h:443')
    expect(interpolate('${SET:+on} ${EMPTY:+on} ${EMPTY+on}', vars)).toBe('on  on')
    expect(interpolate('cost $$5 $${SET}', vars)).toBe('cost $5 ${SET}')
  })

  it('stops with the message of a required variable that is missing or empty', () => {
    expect(interpolate('${SET:?need it}', vars)).toBe('v')
    expect(() => interpolate('${EMPTY:?Set EMPTY (openssl rand -hex 32)}', vars)).toThrow(
      'EMPTY: Set EMPTY (openssl rand -hex 32)',
    )
    expect(interpolate('${EMPTY?only unset fails}', vars)).toBe('')
    expect(() => interpolate('${MISSING?only unset fails}', vars)).toThrow(/only unset fails/)
  })
})

describe('readCompose', () => {
  it('applies anchors and << merges as compose does', () => {
    const compose = readCompose(
      'x-env: &env\n  A: "1"\n  B: "2"\nservices:\n  one:\n    environment:\n      <<: *env\n      B: "3"\n',
    )
    expect(compose.services.one?.environment).toEqual({ A: '1', B: '3' })
  })

  it('tells one-shot services (restart "no", awaited to complete) from the rest', () => {
    const compose = readCompose(`services:
  job: { restart: "no" }
  crashy: { restart: "no" }
  app:
    depends_on:
      job: { condition: service_completed_successfully }
      crashy: { condition: service_started }
`)
    expect([...oneShotServices(compose)]).toEqual(['job'])
  })
})
