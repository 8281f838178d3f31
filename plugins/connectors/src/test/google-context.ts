/**
 * Test helpers of the Google connector tests: a `ConnectorContext` that keeps to define.ts's contract
 * (token from the mock's issuer, `force` refreshes, `fetch` sends the bearer and on a 401 refreshes once
 * and retries once) until core's `connectionClient` builds the real one, and a recorder of every host
 * the process connects to (nothing may leave 127.0.0.1).
 */
import diagnostics from 'node:diagnostics_channel'
import type { ConnectorContext } from '../define.ts'
import type { MockGoogleApis, MockGoogleIdentity } from '../testing/mock-google.ts'

export interface MockGoogleContext<C> extends ConnectorContext<C> {
  /** Tokens issued so far (the first one included). */
  issued: string[]
  /** Forced refreshes (after a 401). */
  refreshes: number
}

export function mockGoogleContext<C>(
  mock: MockGoogleApis,
  {
    credentials,
    identity,
    connector = 'google-search-console',
    signal,
  }: { credentials: C; identity?: MockGoogleIdentity; connector?: string; signal?: AbortSignal },
): MockGoogleContext<C> {
  const ctx: MockGoogleContext<C> = {
    connection: { id: 'test', tenant: '1', connector },
    credentials,
    urls: mock.urls,
    signal,
    issued: [],
    refreshes: 0,
    async accessToken(options) {
      if (options?.force) ctx.refreshes++
      if (options?.force || ctx.issued.length === 0) ctx.issued.push(mock.issueToken(identity))
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

/** Records the host of every outgoing HTTP connection (undici's fetch and node:http). */
export function recordOutboundHosts(): { hosts: Set<string>; stop(): void } {
  const hosts = new Set<string>()
  const onConnect = (message: unknown) => {
    const params = (message as { connectParams?: { hostname?: string } }).connectParams
    if (params?.hostname) hosts.add(params.hostname)
  }
  const onRequest = (message: unknown) => {
    const request = (message as { request?: { host?: string } }).request
    if (request?.host) hosts.add(request.host)
  }
  diagnostics.subscribe('undici:client:beforeConnect', onConnect)
  diagnostics.subscribe('http.client.request.start', onRequest)
  return {
    hosts,
    stop() {
      diagnostics.unsubscribe('undici:client:beforeConnect', onConnect)
      diagnostics.unsubscribe('http.client.request.start', onRequest)
    },
  }
}
