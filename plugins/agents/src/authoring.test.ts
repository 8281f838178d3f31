import { describe, expect, it } from 'vitest'
import { DEFAULT_AGENT_MODELS, modelChainFor, sameContent } from './authoring.ts'

describe('modelChainFor', () => {
  type Slug = 'seo-meta' | 'summarize'
  it('gives the fallback without an option, the one chain for every agent, or the agent’s own chain', () => {
    expect(modelChainFor<Slug>(undefined, 'seo-meta')).toBe(DEFAULT_AGENT_MODELS)
    expect(modelChainFor<Slug>(['anthropic:claude-sonnet-4-5'], 'summarize')).toEqual(['anthropic:claude-sonnet-4-5'])
    const perAgent = { 'seo-meta': ['openai:gpt-4.1'] }
    expect(modelChainFor<Slug>(perAgent, 'seo-meta')).toEqual(['openai:gpt-4.1'])
    expect(modelChainFor<Slug>(perAgent, 'summarize')).toBe(DEFAULT_AGENT_MODELS)
    expect(modelChainFor<Slug>(perAgent, 'summarize', ['local:llama3'])).toEqual(['local:llama3'])
  })

  it('the default chain cannot be changed by a caller', () => {
    expect(Object.isFrozen(DEFAULT_AGENT_MODELS)).toBe(true)
  })
})

describe('sameContent', () => {
  it('ignores row ids, nulls, missing keys and key order', () => {
    const stored = { blocks: [{ id: 'r1', blockType: 'text', text: 'Hi', note: null }], title: 'A' }
    const proposed = { title: 'A', blocks: [{ text: 'Hi', blockType: 'text' }] }
    expect(sameContent(stored, proposed)).toBe(true)
    expect(sameContent(null, undefined)).toBe(true)
  })

  it('tells different content apart: values, order of rows, extra values', () => {
    expect(sameContent({ title: 'A' }, { title: 'B' })).toBe(false)
    expect(sameContent([{ text: 'a' }, { text: 'b' }], [{ text: 'b' }, { text: 'a' }])).toBe(false)
    expect(sameContent({ title: 'A' }, { title: 'A', description: 'x' })).toBe(false)
    expect(sameContent('', null)).toBe(false)
  })
})
