import { describe, expect, it } from 'vitest'
import { stubProvider } from '../testing/stub-provider.ts'
import { createProviderRegistry, parseModelString, UnknownModelError } from './registry.ts'

describe('provider registry', () => {
  it('parses provider:model strings, keeping colons in the model part', () => {
    expect(parseModelString('openai:gpt-5.4-mini')).toEqual({ provider: 'openai', model: 'gpt-5.4-mini' })
    expect(parseModelString('ollama:llama3:8b')).toEqual({ provider: 'ollama', model: 'llama3:8b' })
    expect(parseModelString('gpt-4')).toBeUndefined()
  })

  it('names what exists when a provider, model or string is unknown', async () => {
    const registry = createProviderRegistry()
      .register('stub', stubProvider())
      .register('local', stubProvider({ id: 'local' }), { models: ['small', 'large'] })
    await expect(registry.resolve('openai:gpt-5')).rejects.toThrow(
      'Unknown provider "openai" in model "openai:gpt-5". Registered providers: stub, local',
    )
    await expect(registry.resolve('local:medium')).rejects.toThrow(
      'Unknown model "local:medium". Models of "local": small, large',
    )
    await expect(registry.resolve('gpt-5')).rejects.toThrow(
      /expected "provider:model" \(e\.g\. openai:.*Registered providers: stub, local/,
    )
    await expect(registry.resolve('gpt-5')).rejects.toBeInstanceOf(UnknownModelError)
    expect((await registry.resolve('local:large')).model).toBe('large')
  })

  it('builds providers from factories once per distinct options', async () => {
    const built: unknown[] = []
    const registry = createProviderRegistry().register('custom', (options) => {
      built.push(options)
      return stubProvider({ id: 'custom' })
    })
    const a = await registry.resolve('custom:m')
    const b = await registry.resolve('custom:m')
    const c = await registry.resolve('custom:m', { custom: { apiKey: 'tenant-a' } })
    expect(a.provider).toBe(b.provider)
    expect(c.provider).not.toBe(a.provider)
    expect(built).toEqual([{}, { apiKey: 'tenant-a' }])
  })
})
