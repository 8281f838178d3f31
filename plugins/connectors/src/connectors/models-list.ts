/** The model connectors' test: one authenticated, read-only call to the provider's models list (never echoes the key). */

/** The model providers a tenant may bring its own key for; each is also a connector id. */
export const MODEL_PROVIDERS = Object.freeze(['openai', 'anthropic'] as const)
export type ModelProvider = (typeof MODEL_PROVIDERS)[number]
type Provider = ModelProvider

export interface ConnectionResult {
  ok: boolean
  /** The provider's HTTP status, when it answered. */
  status?: number
  /** For a person; never contains the secret or the provider's response body (which may echo the key). */
  message: string
  /** How many models the key can see, when it worked. */
  models?: number
}

/** Calls `GET <base>/models` (OpenAI-compatible) or `GET <base>/v1/models` (Anthropic) with the key. */
export async function testProviderConnection(args: {
  provider: Provider
  baseUrl: string
  secret: string
  timeoutMs: number
  /** Aborts the call early (the caller's run or request was cancelled). */
  signal?: AbortSignal
}): Promise<ConnectionResult> {
  const base = args.baseUrl.replace(/\/+$/, '')
  const url = args.provider === 'openai' ? `${base}/models` : `${base}/v1/models`
  const headers: Record<string, string> =
    args.provider === 'openai'
      ? { authorization: `Bearer ${args.secret}` }
      : { 'x-api-key': args.secret, 'anthropic-version': '2023-06-01' }
  const host = new URL(url).host
  let res: Response
  try {
    const timeout = AbortSignal.timeout(args.timeoutMs)
    const signal = args.signal ? AbortSignal.any([timeout, args.signal]) : timeout
    res = await fetch(url, { headers, signal, redirect: 'error' })
  } catch (error) {
    const name = (error as Error).name
    if (name === 'TimeoutError')
      return { ok: false, message: `No answer from ${host} within ${Math.round(args.timeoutMs / 1000)} s` }
    const code = ((error as { cause?: { code?: string } }).cause?.code ?? name) || 'network error'
    return { ok: false, message: `Could not reach ${host} (${code}); check the base URL` }
  }
  if (res.ok) {
    const body = (await res.json().catch(() => null)) as { data?: unknown[] } | null
    const models = Array.isArray(body?.data) ? body.data.length : undefined
    return {
      ok: true,
      status: res.status,
      message: `Connected to ${host}${models !== undefined ? `: ${models} model${models === 1 ? '' : 's'} available` : ''}`,
      models,
    }
  }
  await res.body?.cancel().catch(() => {})
  const message =
    res.status === 401 || res.status === 403
      ? `${host} refused the key (${res.status}); check it and save it again`
      : res.status === 404
        ? `${host} has no models list at ${new URL(url).pathname} (404); check the base URL`
        : res.status === 429
          ? `${host} is rate-limiting this key (429); try again later`
          : `${host} answered ${res.status}`
  return { ok: false, status: res.status, message }
}
