/**
 * The OpenAI and Anthropic connectors against a local provider that accepts exactly one key (real HTTP):
 * the credentials schema refuses what a person could get wrong, the client is the runtime's provider
 * options, and "test" is the models-list call with each provider's own auth header.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ProviderOptions } from '@bizosaas/agents'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectorContext } from '../define.ts'
import { anthropicConnector } from './anthropic.ts'
import { builtinConnectors } from './index.ts'
import type { ModelProviderCredentials } from './model-provider.ts'
import { openaiConnector } from './openai.ts'

const OPENAI_KEY = 'sk-test-openai-0123456789abcdef'
const ANTHROPIC_KEY = 'sk-ant-test-fedcba9876543210'
let server: Server
let base: string
const seen: { url?: string; authorization?: string; apiKey?: string; version?: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({
      url: req.url,
      authorization: req.headers.authorization,
      apiKey: req.headers['x-api-key'] as string | undefined,
      version: req.headers['anthropic-version'] as string | undefined,
    })
    const ok =
      (req.url === '/openai/v1/models' && req.headers.authorization === `Bearer ${OPENAI_KEY}`) ||
      (req.url === '/anthropic/v1/models' && req.headers['x-api-key'] === ANTHROPIC_KEY)
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
    // Real providers echo the key they refused; the test result must not.
    res.end(
      JSON.stringify(ok ? { data: [{ id: 'm1' }, { id: 'm2' }] } : { error: `bad key ${req.headers.authorization}` }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise((resolve) => server.close(resolve)))

function context(connector: string, credentials: ModelProviderCredentials, api: string) {
  return {
    connection: { id: '1', tenant: '1', connector },
    credentials,
    accessToken: () => Promise.reject(new Error('credentials connectors have no token')),
    fetch: (input, init) => fetch(input, init),
    urls: { api },
  } satisfies ConnectorContext<ModelProviderCredentials>
}

describe('model provider connectors', () => {
  it('are built in, as credentials connectors with a secret API key', () => {
    expect(builtinConnectors.map((c) => c.id)).toEqual(expect.arrayContaining(['openai', 'anthropic']))
    for (const connector of [openaiConnector, anthropicConnector]) {
      expect(connector.category).toBe('ai')
      expect(connector.auth).toMatchObject({ type: 'credentials', kind: 'api-key', secretFields: ['apiKey'] })
    }
  })

  it('refuse a key with spaces, a short key and a base URL that is not http(s) or carries credentials', () => {
    const schema = openaiConnector.auth.type === 'credentials' ? openaiConnector.auth.schema : undefined
    const issue = (value: unknown) => schema?.safeParse(value).error?.issues[0]
    expect(issue({ apiKey: 'short' })).toMatchObject({
      path: ['apiKey'],
      message: 'An API key is at least 8 characters',
    })
    expect(issue({ apiKey: 'has a space in it' })?.message).toBe('An API key has no spaces or line breaks')
    expect(issue({ apiKey: OPENAI_KEY, baseUrl: 'ftp://x.example' })?.path).toEqual(['baseUrl'])
    expect(issue({ apiKey: OPENAI_KEY, baseUrl: 'https://u:p@x.example/v1' })?.message).toBe(
      'Put the key in "API key", not in the URL',
    )
    expect(schema?.parse({ apiKey: `  ${OPENAI_KEY} ` })).toEqual({ apiKey: OPENAI_KEY })
  })

  it('give the runtime its provider options: the key, and the tenant base URL or the connector URL', async () => {
    const own = await openaiConnector.client(
      context('openai', { apiKey: OPENAI_KEY, baseUrl: 'http://localhost:11434/v1/' }, 'https://api.openai.com/v1'),
    )
    const options: ProviderOptions = own
    expect(options).toEqual({ apiKey: OPENAI_KEY, baseURL: 'http://localhost:11434/v1' })
    const overridden = await anthropicConnector.client(context('anthropic', { apiKey: ANTHROPIC_KEY }, `${base}/x`))
    expect(overridden).toEqual({ apiKey: ANTHROPIC_KEY, baseURL: `${base}/x` })
  })

  it('test the key with the models list, each with its provider’s auth header', async () => {
    seen.length = 0
    const ctx = context('openai', { apiKey: OPENAI_KEY }, `${base}/openai/v1`)
    expect(await openaiConnector.test(await openaiConnector.client(ctx), ctx)).toEqual({
      ok: true,
      message: `Connected to ${new URL(base).host}: 2 models available`,
    })
    const actx = context('anthropic', { apiKey: ANTHROPIC_KEY }, `${base}/anthropic`)
    expect((await anthropicConnector.test(await anthropicConnector.client(actx), actx)).ok).toBe(true)
    expect(seen).toEqual([
      { url: '/openai/v1/models', authorization: `Bearer ${OPENAI_KEY}`, apiKey: undefined, version: undefined },
      { url: '/anthropic/v1/models', authorization: undefined, apiKey: ANTHROPIC_KEY, version: '2023-06-01' },
    ])
  })

  it('report a refused key without echoing it, and an unreachable server', async () => {
    const ctx = context('openai', { apiKey: 'sk-wrong-key-000000' }, `${base}/openai/v1`)
    const refused = await openaiConnector.test(await openaiConnector.client(ctx), ctx)
    expect(refused).toEqual({
      ok: false,
      message: `${new URL(base).host} refused the key (401); check it and save it again`,
    })
    const down = context('anthropic', { apiKey: ANTHROPIC_KEY }, 'http://127.0.0.1:9')
    const result = await anthropicConnector.test(await anthropicConnector.client(down), down)
    expect(result.ok).toBe(false)
    expect(result.message).toMatch(/^Could not reach 127\.0\.0\.1:9 \(.+\); check the base URL$/)
  })
})
