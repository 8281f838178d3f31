/**
 * What a connector is: one outside service, how a tenant authenticates at it, how its connection is
 * tested, and the typed client agents and jobs get. Pure types and `defineConnector`; no Payload, no I/O,
 * so connector packs and their tests import it without a CMS.
 */
import type { z } from 'zod'

/** Where a connector appears in the portal's catalogue. */
export type ConnectorCategory = 'ai' | 'email' | 'analytics' | 'social' | 'crm' | 'automation' | 'other'

/** How the client authenticates at the token endpoint. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

/**
 * OAuth2 authorization code with PKCE (S256), through the portal: connect → provider consent → callback.
 * Every URL may be overridden per deployment (`connectorsPlugin({ overrides })`); tests point them at
 * the mock provider of the testing kit.
 */
export interface OAuth2CodeAuth {
  type: 'oauth2'
  grant: 'authorization_code'
  authorizationUrl: string
  tokenUrl: string
  /** RFC 7009 revocation endpoint; disconnecting revokes there when set. */
  revocationUrl?: string
  /**
   * Who supplies the OAuth app (client id and secret): the platform (plugin options / env), the tenant
   * (entered in the portal before connecting), or either (the tenant's app wins when it has one).
   */
  app: 'platform' | 'tenant' | 'either'
  /** Extra parameters of the consent URL, e.g. Google's `{ access_type: 'offline', prompt: 'consent' }`. */
  authorizationParams?: Readonly<Record<string, string>>
  /** @default ' ' */
  scopeSeparator?: string
  /** @default 'client_secret_basic' */
  clientAuth?: ClientAuthMethod
}

/** OAuth2 client credentials: the tenant enters a client id and secret; tokens come without a person. */
export interface OAuth2ClientCredentialsAuth {
  type: 'oauth2'
  grant: 'client_credentials'
  tokenUrl: string
  revocationUrl?: string
  /** @default 'client_secret_basic' */
  clientAuth?: ClientAuthMethod
}

/** The parts of a service-account key file the platform uses (Google's JSON key has these and more). */
export interface ServiceAccountKey {
  client_email: string
  private_key: string
  private_key_id?: string
  /** The key's own token endpoint (Google puts it in the file); the connector's `tokenUrl` otherwise. */
  token_uri?: string
}

/**
 * A service account: the tenant uploads a key; the platform signs a JWT assertion (RFC 7523) and trades
 * it for an access token. No refresh token: a new assertion each time the token nears expiry.
 */
export interface ServiceAccountAuth {
  type: 'service-account'
  tokenUrl: string
  /** Checks the uploaded key file; unknown fields are kept. */
  key: z.ZodType<ServiceAccountKey>
  /** `aud` of the assertion. @default tokenUrl */
  audience?: string
}

/**
 * An API key, app password or basic credentials, described by a zod schema (with `.describe()` on each
 * field: the portal renders the form from it). Fields in `secretFields` are write-only: sealed, never
 * shown again, only a hint of their last four characters.
 */
export interface CredentialsAuth<S extends z.ZodObject = z.ZodObject> {
  type: 'credentials'
  kind: 'api-key' | 'app-password' | 'basic' | 'other'
  schema: S
  secretFields: readonly (keyof z.infer<S> & string)[]
}

export type ConnectorAuth =
  | OAuth2CodeAuth
  | OAuth2ClientCredentialsAuth
  | ServiceAccountAuth
  // biome-ignore lint/suspicious/noExplicitAny: any credentials schema
  | CredentialsAuth<any>

/** The connection a client is built for (no secrets). */
export interface ConnectionInfo {
  id: string
  tenant: string
  connector: string
  /** The account at the provider, as the test or the token response named it (an email, a page …). */
  account?: string | null
}

/** What `client` and `test` get: the connection, its credentials and authorised calls. */
export interface ConnectorContext<Credentials> {
  connection: ConnectionInfo
  /**
   * What the tenant entered: the parsed `schema` (credentials), the key (service account), the client
   * id/secret (client credentials), `{}` for authorization code. Server-side only; never log it.
   */
  credentials: Credentials
  /**
   * A valid access token (OAuth2 and service accounts), refreshed first when it expires within the
   * refresh margin — by one process at a time. `force` refreshes even a token that looks valid (after a 401).
   * Throws `ConnectionError` for credentials connectors.
   */
  accessToken(options?: { force?: boolean }): Promise<string>
  /**
   * `fetch` with `authorization: Bearer <token>`: a 401 refreshes the token once and retries once.
   * For credentials connectors it is plain `fetch` with the connection's signal.
   */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>
  /** The connector's `urls` after deployment overrides (e.g. `api` pointed at a mock server in tests). */
  urls: Readonly<Record<string, string>>
  /** Aborted when the run or job using the client is cancelled. */
  signal?: AbortSignal
}

/** What a connection test found. */
export type ConnectionTestResult =
  | { ok: true; message: string; account?: string }
  /** `reconnect: true` when the provider refused the grant (the connection becomes `needs-reconnect`). */
  | { ok: false; message: string; reconnect?: boolean }

export interface ConnectorDefinition<Id extends string = string, Credentials = unknown, Client = unknown> {
  /** kebab-case, unique: `google-search-console`, `smtp`, `openai`. */
  id: Id
  name: string
  /** One sentence for the catalogue. */
  description: string
  category: ConnectorCategory
  auth: ConnectorAuth
  /** Scopes asked for at consent (OAuth2) or in the assertion (service account). @default [] */
  scopes?: readonly string[]
  /** The service's base URLs by name (`{ api: 'https://…' }`); each may be overridden per deployment. */
  urls?: Readonly<Record<string, string>>
  /** Where a tenant learns to create the key or app. */
  docsUrl?: string
  /** Builds the typed client; called per use (cheap: no network here). */
  client(ctx: ConnectorContext<Credentials>): Client | Promise<Client>
  /** One cheap authenticated read-only call; names the account when it can. Never returns a secret. */
  test(client: Client, ctx: ConnectorContext<Credentials>): Promise<ConnectionTestResult>
  /**
   * Revokes the grant at the provider on disconnect, when `auth.revocationUrl` is not enough (e.g. a
   * provider-specific call). Failures are reported but do not keep the connection.
   */
  revoke?(ctx: ConnectorContext<Credentials>): Promise<void>
}

// biome-ignore lint/suspicious/noExplicitAny: registries hold connectors of any credentials and client
export type AnyConnector = ConnectorDefinition<string, any, any>

/** The client type of a connector. */
export type ClientOf<C> = C extends ConnectorDefinition<string, unknown, infer Client> ? Client : never

/**
 * Typed `ctx.connection('<id>')`: connector packs add their ids and client types by augmentation,
 * `declare module '@bizosaas/plugin-connectors/define' { interface ConnectorClients { smtp: SmtpClient } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point
export interface ConnectorClients {}

/** The client for connector `id`: its augmented type when registered, `unknown` otherwise. */
export type ConnectorClient<Id extends string> = Id extends keyof ConnectorClients ? ConnectorClients[Id] : unknown

const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/

/** Declares a connector; checks its id and auth shape at definition time (a programmer error throws). */
export function defineConnector<Id extends string, Credentials, Client>(
  definition: ConnectorDefinition<Id, Credentials, Client>,
): ConnectorDefinition<Id, Credentials, Client> {
  if (!ID.test(definition.id)) throw new Error(`Connector id "${definition.id}" must be kebab-case`)
  const auth = definition.auth
  if (auth.type === 'credentials') {
    const keys = Object.keys(auth.schema.shape)
    for (const field of auth.secretFields)
      if (!keys.includes(field))
        throw new Error(`Connector "${definition.id}": secret field "${field}" is not in its credentials schema`)
  }
  return Object.freeze({ ...definition, scopes: definition.scopes ?? [] })
}

/**
 * Why a connection could not be used. `needs-reconnect`: the provider refused the grant (a person must
 * connect again); `error`: the stored connection is unusable otherwise; `unavailable`: the provider did
 * not answer or answered 5xx (the connection stays connected; try later); `not-connected`: the tenant
 * has no connection for this connector.
 */
export class ConnectionError extends Error {
  override name = 'ConnectionError'
  constructor(
    readonly code: 'needs-reconnect' | 'error' | 'unavailable' | 'not-connected',
    message: string,
    readonly connector?: string,
  ) {
    super(message)
  }
}
