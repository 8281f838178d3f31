import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineAgent } from './agent.ts'
import { createAgentRegistry, UnknownAgentError } from './registry.ts'
import { defineTool } from './tool.ts'

const make = (slug: string, approval?: boolean | ((o: { title: string }) => boolean)) =>
  defineAgent({
    slug,
    description: `The ${slug} agent`,
    input: z.object({ productId: z.string().describe('Product to describe') }),
    output: z.object({ title: z.string().describe('Product title') }),
    instructions: 'Write a title.',
    tools: [
      defineTool({
        id: 'get-product',
        description: 'Loads a product',
        input: z.object({ id: z.string() }),
        execute: () => ({}),
      }),
    ],
    model: ['openai:gpt-5.4-mini', 'anthropic:claude-haiku-4-5'],
    approval,
  })

describe('agent registry', () => {
  it('rejects duplicate slugs', () => {
    const registry = createAgentRegistry([make('seo-title')])
    expect(() => registry.register(make('seo-title'))).toThrow(/Duplicate agent slug "seo-title"/)
    expect(() => createAgentRegistry([make('a'), make('a')])).toThrow(/Duplicate/)
  })

  it('names the registered agents when a slug is unknown', () => {
    const registry = createAgentRegistry([make('seo-title'), make('alt-text')])
    expect(() => registry.get('seo')).toThrow('Unknown agent "seo". Registered agents: alt-text, seo-title')
    expect(() => registry.get('seo')).toThrow(UnknownAgentError)
    expect(registry.get('alt-text').slug).toBe('alt-text')
  })

  it('lists agents with JSON Schemas of input and output', () => {
    const registry = createAgentRegistry([make('seo-title', true), make('alt-text', (o) => o.title.length > 3)])
    const [seo, alt] = registry.list()
    expect(seo).toMatchObject({
      slug: 'seo-title',
      description: 'The seo-title agent',
      models: ['openai:gpt-5.4-mini', 'anthropic:claude-haiku-4-5'],
      tools: [{ id: 'get-product', description: 'Loads a product' }],
      approval: 'always',
      inputSchema: {
        type: 'object',
        properties: { productId: { type: 'string', description: 'Product to describe' } },
        required: ['productId'],
      },
      outputSchema: { type: 'object', properties: { title: { type: 'string', description: 'Product title' } } },
    })
    expect(alt?.approval).toBe('conditional')
    expect(createAgentRegistry([make('x')]).list()[0]?.approval).toBe('never')
  })

  it('validates definitions', () => {
    expect(() => make('Not Kebab')).toThrow(/kebab-case/)
    const tool = defineTool({ id: 't', description: 'x', input: z.object({}), execute: () => null })
    expect(() =>
      defineAgent({
        slug: 'dup-tools',
        description: 'x',
        input: z.object({}),
        output: z.string(),
        instructions: '',
        tools: [tool, tool],
        model: 'stub:x',
      }),
    ).toThrow(/two tools with id "t"/)
  })
})
