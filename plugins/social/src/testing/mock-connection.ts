/**
 * A `ConnectorContext` for platform tests against the mock social APIs, keeping to the connectors
 * runtime's contract (plugins/connectors/src/connections.ts): the token is one the mock accepts,
 * `accessToken({ force })` issues a fresh one (a refresh), and `fetch` sends the bearer and on a 401
 * refreshes once and retries once. Counts refreshes so tests can assert "exactly one".
 */
import type { ConnectorContext } from '@bizosaas/plugin-connectors/define'
import type { MockSocialCore } from './mock-core.ts'

export interface MockConnectorContext extends ConnectorContext<unknown> {
  /** Tokens issued so far (the first one included). */
  issued: string[]
  /** Forced refreshes (after a 401). */
  refreshes: number
}

export function mockConnectorContext(
  core: MockSocialCore,
  { connector, urls, signal }: { connector: string; urls: Record<string, string>; signal?: AbortSignal },
): MockConnectorContext {
  const ctx: MockConnectorContext = {
    connection: { id: 'test', tenant: '1', connector },
    credentials: {},
    urls,
    signal,
    issued: [],
    refreshes: 0,
    async accessToken(options) {
      if (options?.force) ctx.refreshes++
      if (options?.force || ctx.issued.length === 0) ctx.issued.push(core.issueToken())
      return ctx.issued.at(-1) as string
    },
    async fetch(input, init) {
      const send = async (token: string) => {
        const headers = new Headers(init?.headers)
        headers.set('authorization', `Bearer ${token}`)
        return fetch(input, { ...init, signal: init?.signal ?? signal, headers })
      }
      const response = await send(await ctx.accessToken())
      if (response.status !== 401) return response
      await response.body?.cancel()
      return send(await ctx.accessToken({ force: true }))
    },
  }
  return ctx
}
