/**
 * The connections runtime: saving (sealed), testing, disconnecting (with revocation at the provider),
 * flipping to `needs-reconnect` with one notification, and `connectionClient`, which builds a
 * connector's context — an access token refreshed ahead of expiry by exactly one process (advisory lock
 * per connection, row re-read under the lock) and a fetch that refreshes once on 401 and retries once.
 */
import type { Payload } from 'payload'
import { CONNECTIONS_SLUG } from './constants.ts'
import { connectorsConfigOf } from './defaults.ts'
import {
  type AnyConnector,
  ConnectionError,
  type ConnectionInfo,
  type ConnectionTestResult,
  type ConnectorClient,
  type ConnectorContext,
  type ServiceAccountKey,
} from './define.ts'
import { sendMail } from './mail.ts'
import { connectorOf } from './registry.ts'
import { type ConnectionSecrets, openSecrets, type StoredTokens, sealSecrets } from './sealed.ts'
import {
  type ConnectionRow,
  flipNeedsReconnect,
  lockConnection,
  markError,
  type Queryable,
  recordError,
  recordTest,
  selectConnection,
  selectTenantConnection,
  storeTokens,
} from './sql.ts'
import {
  clientCredentialsTokens,
  refreshTokens,
  revokeToken,
  serviceAccountTokens,
  type TokenClient,
  tokenFailure,
} from './tokens.ts'
import type { Id, ReconnectNotice } from './types.ts'

interface PgPool extends Queryable {
  connect(): Promise<Queryable & { release(error?: Error | boolean): void }>
}

/** Payload's pg pool (the postgres adapter's). */
export function poolOf(payload: Payload): PgPool {
  const pool = (payload.db as unknown as { pool?: PgPool }).pool
  if (!pool) throw new Error('@bizosaas/plugin-connectors needs the postgres adapter (no pg pool found)')
  return pool
}

/** The connector's auth and URLs after the deployment's overrides. */
export function effectiveConnector(payload: Payload, connector: AnyConnector) {
  const override = connectorsConfigOf(payload).overrides[connector.id] ?? {}
  const auth = connector.auth
  const tokenUrl = 'tokenUrl' in auth ? (override.tokenUrl ?? auth.tokenUrl) : undefined
  const revocationUrl = override.revocationUrl ?? (auth.type === 'oauth2' ? auth.revocationUrl : undefined)
  const authorizationUrl =
    auth.type === 'oauth2' && auth.grant === 'authorization_code'
      ? (override.authorizationUrl ?? auth.authorizationUrl)
      : undefined
  return {
    auth,
    tokenUrl,
    revocationUrl,
    authorizationUrl,
    urls: Object.freeze({ ...connector.urls, ...override.urls }) as Readonly<Record<string, string>>,
  }
}

/** The OAuth client a connection's token calls use: the tenant's app, the platform's, or the entered client credentials. */
function tokenClientOf(payload: Payload, connector: AnyConnector, secrets: ConnectionSecrets): TokenClient {
  const auth = connector.auth
  if (auth.type === 'oauth2' && auth.grant === 'client_credentials') {
    const creds = (secrets.credentials ?? {}) as { clientId?: string; clientSecret?: string }
    if (!creds.clientId)
      throw new ConnectionError('error', 'The connection has no client id; connect again', connector.id)
    return { clientId: creds.clientId, clientSecret: creds.clientSecret, method: auth.clientAuth }
  }
  if (auth.type === 'oauth2') {
    const app = secrets.app ?? (auth.app !== 'tenant' ? connectorsConfigOf(payload).apps[connector.id] : undefined)
    if (!app)
      throw new ConnectionError(
        'error',
        `No OAuth app is configured for ${connector.name}; ask the platform admin`,
        connector.id,
      )
    return { clientId: app.clientId, clientSecret: app.clientSecret, method: auth.clientAuth }
  }
  if (auth.type === 'service-account') {
    const key = secrets.credentials as ServiceAccountKey | undefined
    return { clientId: key?.client_email ?? '', method: 'none' }
  }
  throw new ConnectionError('error', `${connector.name} uses credentials, not OAuth tokens`, connector.id)
}

/** New tokens for the connection: a refresh (authorization code), a new grant (client credentials) or assertion (service account). */
async function obtainTokens(
  payload: Payload,
  connector: AnyConnector,
  secrets: ConnectionSecrets,
  signal?: AbortSignal,
): Promise<StoredTokens> {
  const { auth, tokenUrl } = effectiveConnector(payload, connector)
  const options = { signal, timeoutMs: connectorsConfigOf(payload).timeoutMs, connector: connector.id }
  const scopes = connector.scopes ?? []
  if (!tokenUrl)
    throw new ConnectionError('error', `${connector.name} uses credentials, not OAuth tokens`, connector.id)
  if (auth.type === 'service-account') {
    const key = auth.key.safeParse(secrets.credentials)
    if (!key.success)
      throw new ConnectionError('error', 'The stored service-account key is not valid; upload it again', connector.id)
    const override = connectorsConfigOf(payload).overrides[connector.id]?.tokenUrl
    const url = override ?? key.data.token_uri ?? tokenUrl
    return serviceAccountTokens({ tokenUrl: url, audience: auth.audience ?? url }, key.data, scopes, options)
  }
  const client = tokenClientOf(payload, connector, secrets)
  if (auth.type === 'oauth2' && auth.grant === 'client_credentials')
    return clientCredentialsTokens({ tokenUrl }, client, scopes, options)
  if (!secrets.tokens)
    throw new ConnectionError('needs-reconnect', 'The connection has no tokens; connect again', connector.id)
  return refreshTokens({ tokenUrl }, client, secrets.tokens, options)
}

const expiresSoon = (tokens: StoredTokens | undefined, marginSeconds: number) =>
  !tokens?.accessToken ||
  (tokens.expiresAt !== undefined && Date.parse(tokens.expiresAt) - Date.now() < marginSeconds * 1000)

const stillValid = (tokens: StoredTokens | undefined) =>
  Boolean(tokens?.accessToken) && (tokens?.expiresAt === undefined || Date.parse(tokens.expiresAt) > Date.now() + 5_000)

const scopesOf = (tokens: StoredTokens) => (tokens.scope ? tokens.scope.split(/[\s,]+/).filter(Boolean) : null)

/**
 * Valid tokens of connection `id`, refreshed first when they expire within the margin (or `force`) —
 * by one process: the refresh runs under `pg_advisory_xact_lock` on a dedicated client, and the row is
 * re-read under the lock, so a second caller finds the first one's tokens instead of refreshing again
 * (which a rotating provider would refuse). Failures: a refused grant flips the connection to
 * `needs-reconnect` (one notification); an outage records `lastError` and keeps it connected; a
 * malformed answer sets `error` and keeps the old tokens.
 */
export async function freshTokens(
  payload: Payload,
  id: Id,
  options: {
    force?: boolean
    seenAccessToken?: string
    signal?: AbortSignal
    /** Throw on an outage even when the current token is still valid (the refresh cron, so pg-boss retries). */
    strict?: boolean
  } = {},
): Promise<StoredTokens> {
  const config = connectorsConfigOf(payload)
  const db = await poolOf(payload).connect()
  let flipped: { row: ConnectionRow; message: string } | undefined
  let failure: ConnectionError | undefined
  let result: StoredTokens | undefined
  try {
    await db.query('BEGIN')
    await lockConnection(db, id)
    const row = await selectConnection(db, id)
    if (!row) throw new ConnectionError('not-connected', `Connection ${id} no longer exists`)
    const connector = connectorOf(payload, row.connector)
    if (row.status === 'needs-reconnect')
      throw new ConnectionError('needs-reconnect', `${row.name}: ${row.lastError ?? 'connect again'}`, row.connector)
    const secrets = openSecrets(payload, row)
    const current = secrets.tokens
    const refreshedByOther =
      options.force &&
      options.seenAccessToken !== undefined &&
      current &&
      current.accessToken !== options.seenAccessToken
    if (current && (refreshedByOther || (!options.force && !expiresSoon(current, config.refreshMarginSeconds)))) {
      await db.query('COMMIT')
      return current
    }
    try {
      const tokens = await obtainTokens(payload, connector, secrets, options.signal)
      const sealed = sealSecrets(payload, row.id, row.tenant, { ...secrets, tokens })
      await storeTokens(db, row.id, sealed, tokens.expiresAt ? new Date(tokens.expiresAt) : null, scopesOf(tokens))
      result = tokens
    } catch (error) {
      failure = tokenFailure(error, connector.id)
      if (failure.code === 'needs-reconnect') {
        if (await flipNeedsReconnect(db, row.id, failure.message)) flipped = { row, message: failure.message }
      } else if (failure.code === 'unavailable') {
        await recordError(db, row.id, failure.message)
        // The token we have still works: an outage of the token endpoint need not stop the caller.
        if (!options.force && !options.strict && stillValid(current)) result = current
      } else await markError(db, row.id, failure.message)
    }
    await db.query('COMMIT')
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {})
    throw error instanceof ConnectionError ? error : tokenFailure(error, '')
  } finally {
    db.release()
  }
  if (flipped) await notifyReconnect(payload, flipped.row, flipped.message)
  if (result) return result
  throw failure ?? new ConnectionError('error', `Connection ${id}: no tokens`)
}

async function notifyReconnect(
  payload: Payload,
  row: Pick<ConnectionRow, 'id' | 'tenant' | 'name' | 'connector'>,
  reason: string,
) {
  const config = connectorsConfigOf(payload)
  const connectorName = (() => {
    try {
      return connectorOf(payload, row.connector).name
    } catch {
      return row.connector
    }
  })()
  try {
    const to = await config.recipients(payload, row.tenant)
    const notice = {
      tenant: row.tenant,
      connection: { id: row.id, name: row.name, connector: row.connector, connectorName },
      reason,
      to,
    }
    await (config.notify ?? mailReconnectNotice)(payload, notice)
  } catch (error) {
    // Recorded, not thrown: the status flip stands (and `notifiedAt` says the notice was attempted).
    payload.logger.error(
      { err: error, connection: row.id, tenant: String(row.tenant) },
      `connectors: the reconnect notice for connection ${row.id} could not be sent`,
    )
  }
}

/** The default notice: an email to the tenant's admins through `sendMail` (the tenant's smtp, else the platform mailer). */
async function mailReconnectNotice(payload: Payload, notice: ReconnectNotice): Promise<void> {
  if (!notice.to.length) {
    payload.logger.warn(
      { tenant: String(notice.tenant), connection: notice.connection.id },
      'connectors: a connection needs reconnecting but its tenant has no admin to tell',
    )
    return
  }
  const { connection } = notice
  const portal = process.env.PORTAL_URL?.replace(/\/$/, '')
  const where = portal ? `${portal}/t/${notice.tenant}/integrations` : 'the portal’s Integrations page'
  await sendMail(payload, {
    tenant: String(notice.tenant),
    to: notice.to,
    subject: `Reconnect ${connection.connectorName}: "${connection.name}" stopped working`,
    text: [
      `Your ${connection.connectorName} connection "${connection.name}" needs to be connected again.`,
      '',
      `Why: ${notice.reason}`,
      '',
      `Agents and jobs that use it cannot reach ${connection.connectorName} until a tenant admin reconnects it at ${where}.`,
    ].join('\n'),
  })
}

/**
 * Marks connection `id` as needing a person to connect again (`reason` shown to them; never a secret)
 * and tells the tenant's admins — once: only the call that flips it notifies.
 */
export async function markNeedsReconnect(payload: Payload, id: Id, reason: string): Promise<{ notified: boolean }> {
  const pool = poolOf(payload)
  const row = await selectConnection(pool, id)
  if (!row) throw new ConnectionError('not-connected', `No connection ${id}`)
  const won = await flipNeedsReconnect(pool, id, reason)
  if (won) await notifyReconnect(payload, row, reason)
  return { notified: won }
}

/** The context a connector's `client`, `test` and `revoke` get for a stored connection. */
function contextFor(
  payload: Payload,
  connector: AnyConnector,
  row: ConnectionRow,
  secrets: ConnectionSecrets,
  signal?: AbortSignal,
): ConnectorContext<unknown> {
  const { urls } = effectiveConnector(payload, connector)
  const margin = connectorsConfigOf(payload).refreshMarginSeconds
  const info: ConnectionInfo = {
    id: String(row.id),
    tenant: String(row.tenant),
    connector: row.connector,
    account: row.account,
  }
  let current = secrets.tokens
  const usesTokens = connector.auth.type !== 'credentials'
  const accessToken = async ({ force = false }: { force?: boolean } = {}) => {
    if (!usesTokens)
      throw new ConnectionError('error', `${connector.name} uses credentials, not access tokens`, connector.id)
    if (!force && current && !expiresSoon(current, margin)) return current.accessToken
    current = await freshTokens(payload, row.id, { force, seenAccessToken: current?.accessToken, signal })
    return current.accessToken
  }
  return {
    connection: info,
    credentials: (secrets.credentials ?? {}) as unknown,
    accessToken,
    async fetch(input, init = {}) {
      const withSignal = { ...init, signal: init.signal ?? signal }
      if (!usesTokens) return fetch(input, withSignal)
      const call = (token: string) => {
        const headers = new Headers(init.headers)
        headers.set('authorization', `Bearer ${token}`)
        return fetch(input, { ...withSignal, headers })
      }
      const first = await call(await accessToken())
      if (first.status !== 401) return first
      // One refresh and one retry: a token revoked or expired early at the provider.
      await first.body?.cancel().catch(() => {})
      return call(await accessToken({ force: true }))
    },
    urls,
    signal,
  }
}

async function loadForUse(payload: Payload, row: ConnectionRow | undefined, what: string) {
  if (!row) throw new ConnectionError('not-connected', `${what} is not connected`)
  const connector = connectorOf(payload, row.connector)
  let secrets: ConnectionSecrets
  try {
    secrets = openSecrets(payload, row)
  } catch (error) {
    throw new ConnectionError(
      'error',
      `The stored connection cannot be opened: ${(error as Error).message}`,
      row.connector,
    )
  }
  return { connector, secrets }
}

/**
 * The typed client of the tenant's connection to `connector` (`connection` picks one when the tenant has
 * several; default: its newest connected one). Throws `ConnectionError`: `not-connected`,
 * `needs-reconnect` (a person must connect again), `error`, `unavailable`.
 */
export async function connectionClient<Id extends string>(
  payload: Payload,
  args: { tenant: number | string; connector: Id; connection?: number | string; signal?: AbortSignal },
): Promise<ConnectorClient<Id>> {
  const row = await selectTenantConnection(poolOf(payload), args.tenant, args.connector, args.connection)
  const { connector, secrets } = await loadForUse(payload, row, `Connector "${args.connector}"`)
  if (row!.status === 'needs-reconnect')
    throw new ConnectionError(
      'needs-reconnect',
      `${connector.name} ("${row!.name}") needs to be connected again: ${row!.lastError ?? 'the provider refused it'}`,
      connector.id,
    )
  const ctx = contextFor(payload, connector, row!, secrets, args.signal)
  return (await connector.client(ctx)) as ConnectorClient<Id>
}

export interface SaveConnectionArgs {
  tenant: number | string
  connector: string
  /** An existing connection of the tenant to replace (reconnect). */
  connection?: number | string
  name?: string
  credentials?: unknown
  tokens?: StoredTokens
  app?: { clientId: string; clientSecret?: string }
  account?: string | null
  scopes?: string[]
  /** Who connected it. */
  user?: number | string | null
}

const hint = (secret: unknown) => (typeof secret === 'string' && secret.length >= 8 ? `…${secret.slice(-4)}` : null)

/** The last four characters of the connection's main secret, when it has one worth hinting at. */
function secretHintOf(connector: AnyConnector, credentials: unknown): string | null {
  const auth = connector.auth
  const values = (credentials ?? {}) as Record<string, unknown>
  if (auth.type === 'credentials') return hint(values[auth.secretFields[0] ?? ''])
  if (auth.type === 'oauth2' && auth.grant === 'client_credentials') return hint(values.clientSecret)
  if (auth.type === 'service-account') return hint(values.private_key_id)
  return null
}

/** Public fields of a connection row as the API shows them. */
export interface ConnectionSummary {
  id: number
  tenant: number
  connector: string
  name: string
  status: ConnectionRow['status']
  lastError: string | null
  account: string | null
  expiresAt: string | null
}

export const summaryOf = (row: ConnectionRow): ConnectionSummary => ({
  id: row.id,
  tenant: row.tenant,
  connector: row.connector,
  name: row.name,
  status: row.status,
  lastError: row.lastError,
  account: row.account,
  expiresAt: row.expiresAt ? new Date(row.expiresAt).toISOString() : null,
})

/**
 * Stores a connection (new, or `connection` replaced) with its secrets sealed: status `connected`, no
 * error, notification reset. Credentials are checked against the connector's schema.
 */
export async function saveConnection(payload: Payload, args: SaveConnectionArgs): Promise<ConnectionSummary> {
  const connector = connectorOf(payload, args.connector)
  let credentials = args.credentials
  if (connector.auth.type === 'credentials') {
    const parsed = connector.auth.schema.safeParse(credentials)
    if (!parsed.success)
      throw new ConnectionError('error', `Invalid credentials: ${parsed.error.issues[0]?.message}`, connector.id)
    credentials = parsed.data
  } else if (connector.auth.type === 'service-account') {
    const parsed = connector.auth.key.safeParse(credentials)
    if (!parsed.success)
      throw new ConnectionError(
        'error',
        `Invalid service-account key: ${parsed.error.issues[0]?.message}`,
        connector.id,
      )
    credentials = parsed.data
  }
  const tokens = args.tokens
  const data = {
    tenant: args.tenant,
    connector: connector.id,
    name: args.name ?? connector.name,
    status: 'connected',
    lastError: null,
    account: args.account ?? null,
    scopes: args.scopes ?? (tokens?.scope ? tokens.scope.split(/[\s,]+/).filter(Boolean) : null),
    expiresAt: tokens?.expiresAt ?? null,
    secretHint: secretHintOf(connector, credentials),
    notifiedAt: null,
    checkedAt: new Date().toISOString(),
    ...(args.user != null ? { connectedBy: args.user } : {}),
  }
  const pool = poolOf(payload)
  let id: number
  if (args.connection != null) {
    const existing = await selectConnection(pool, args.connection)
    if (!existing || String(existing.tenant) !== String(args.tenant) || existing.connector !== connector.id)
      throw new ConnectionError(
        'not-connected',
        `No ${connector.name} connection ${args.connection} in this tenant`,
        connector.id,
      )
    await payload.update({
      collection: CONNECTIONS_SLUG as never,
      id: existing.id,
      data: data as never,
      overrideAccess: true,
      depth: 0,
    })
    id = existing.id
  } else {
    const created = await payload.create({
      collection: CONNECTIONS_SLUG as never,
      data: data as never,
      overrideAccess: true,
      depth: 0,
    })
    id = (created as unknown as { id: number }).id
  }
  // Sealed once the id exists: the seal is bound to this connection and its tenant.
  try {
    const secrets: ConnectionSecrets = { credentials, tokens, ...(args.app ? { app: args.app } : {}) }
    const sealed = sealSecrets(payload, id, args.tenant, secrets)
    await pool.query('UPDATE connections SET ciphertext = $2, key_id = $3 WHERE id = $1', [
      id,
      sealed.ciphertext,
      sealed.keyId,
    ])
  } catch (error) {
    if (args.connection == null)
      await payload.delete({ collection: CONNECTIONS_SLUG as never, id, overrideAccess: true }).catch(() => {})
    throw error
  }
  return summaryOf((await selectConnection(pool, id))!)
}

/**
 * Tests connection `id` with its connector's `test` (one cheap read): records the result (`checkedAt`,
 * `account`, `lastError`); a refused grant flips it to `needs-reconnect`.
 */
export async function testConnection(payload: Payload, id: Id): Promise<ConnectionTestResult> {
  const pool = poolOf(payload)
  const row = await selectConnection(pool, id)
  if (!row) throw new ConnectionError('not-connected', `Connection ${id} is not connected`)
  let loaded: Awaited<ReturnType<typeof loadForUse>>
  try {
    loaded = await loadForUse(payload, row, `Connection ${id}`)
  } catch (error) {
    // The connector was uninstalled, or the seal does not open: a failed test the admin can act on.
    const message = error instanceof ConnectionError ? error.message : 'The connection cannot be used'
    await recordTest(pool, row.id, { ok: false, message })
    return { ok: false, message }
  }
  const { connector, secrets } = loaded
  if (row.status === 'needs-reconnect') return { ok: false, message: row.lastError ?? 'Connect again', reconnect: true }
  const result = await runTest(payload, connector, row, secrets)
  if (!result.ok && result.reconnect) await markNeedsReconnect(payload, row.id, result.message)
  await recordTest(pool, row.id, result.ok ? result : { ok: false, message: result.message })
  return result
}

/** Runs the connector's test; a ConnectionError from its token calls is a failed test, not a throw. */
export async function runTest(
  payload: Payload,
  connector: AnyConnector,
  row: ConnectionRow,
  secrets: ConnectionSecrets,
  signal?: AbortSignal,
): Promise<ConnectionTestResult> {
  const timeout = AbortSignal.timeout(connectorsConfigOf(payload).timeoutMs)
  const ctx = contextFor(payload, connector, row, secrets, signal ? AbortSignal.any([signal, timeout]) : timeout)
  try {
    return await connector.test(await connector.client(ctx), ctx)
  } catch (error) {
    if (error instanceof ConnectionError)
      return { ok: false, message: error.message, ...(error.code === 'needs-reconnect' ? { reconnect: true } : {}) }
    const name = (error as Error)?.name
    if (name === 'TimeoutError' || name === 'AbortError')
      return { ok: false, message: `${connector.name} did not answer in time` }
    return {
      ok: false,
      message: `${connector.name} test failed: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
    }
  }
}

/**
 * Tests credentials before anything is stored (the connect endpoint): builds a context over an unsaved
 * connection, fetching a first token for client credentials and service accounts.
 */
export async function testUnsaved(
  payload: Payload,
  args: { tenant: Id; connector: AnyConnector; credentials: unknown },
): Promise<{ result: ConnectionTestResult; tokens?: StoredTokens }> {
  const { connector } = args
  const secrets: ConnectionSecrets = { credentials: args.credentials }
  let tokens: StoredTokens | undefined
  if (connector.auth.type !== 'credentials') {
    try {
      tokens = await obtainTokens(payload, connector, secrets)
    } catch (error) {
      const failure = tokenFailure(error, connector.id)
      return { result: { ok: false, message: failure.message } }
    }
  }
  // An unsaved row: accessToken() returns the token just fetched and never refreshes it (no row to lock).
  const row: ConnectionRow = {
    id: 0,
    tenant: Number(args.tenant),
    connector: connector.id,
    name: connector.name,
    status: 'connected',
    lastError: null,
    account: null,
    expiresAt: null,
    ciphertext: null,
    keyId: null,
    notifiedAt: null,
  }
  const ctx = contextFor(payload, connector, row, {
    ...secrets,
    tokens: tokens ? { ...tokens, expiresAt: undefined } : undefined,
  })
  try {
    return { result: await connector.test(await connector.client(ctx), ctx), tokens }
  } catch (error) {
    return { result: { ok: false, message: String((error as Error)?.message ?? error).slice(0, 200) } }
  }
}

export interface DisconnectResult {
  /** Whether the grant was revoked at the provider (false when it has no revocation). */
  revoked: boolean
  /** Why revocation failed; the connection is removed anyway. */
  revokeError?: string
}

/** Revokes the grant at the provider (when it can) and deletes the connection; a failed revocation is reported, not fatal. */
export async function disconnectConnection(payload: Payload, id: Id): Promise<DisconnectResult> {
  const pool = poolOf(payload)
  const row = await selectConnection(pool, id)
  if (!row) throw new ConnectionError('not-connected', `No connection ${id}`)
  let revoked = false
  let revokeError: string | undefined
  try {
    const connector = connectorOf(payload, row.connector)
    const secrets = openSecrets(payload, row)
    const { revocationUrl } = effectiveConnector(payload, connector)
    if (connector.revoke) {
      await connector.revoke(contextFor(payload, connector, row, secrets))
      revoked = true
    } else if (revocationUrl && secrets.tokens) {
      const token = secrets.tokens.refreshToken
        ? { value: secrets.tokens.refreshToken, hint: 'refresh_token' as const }
        : { value: secrets.tokens.accessToken, hint: 'access_token' as const }
      await revokeToken({ revocationUrl }, tokenClientOf(payload, connector, secrets), token, {
        timeoutMs: connectorsConfigOf(payload).timeoutMs,
        connector: connector.id,
      })
      revoked = true
    }
  } catch (error) {
    revokeError =
      error instanceof ConnectionError
        ? error.message
        : `Revocation failed: ${String((error as Error)?.message ?? error).slice(0, 200)}`
    payload.logger.warn({ connection: row.id, connector: row.connector }, `connectors: ${revokeError}`)
  }
  await payload.delete({ collection: CONNECTIONS_SLUG as never, id: row.id, overrideAccess: true })
  return revokeError ? { revoked, revokeError } : { revoked }
}
