/**
 * What the OAuth flow needs from the rest of the connectors plugin: the registry, deployment overrides,
 * platform apps, the portal's redirect URI, the vault's keyring, who may manage a tenant's connections,
 * and the connection store (`saveConnection`, `testConnection`). `connectorsPlugin` builds it once; the
 * flow's endpoints read it from the Payload config (`oauthHostOf`).
 */
import type { VaultKeyring } from '@bizosaas/plugin-vault'
import type { Access, Payload, PayloadRequest } from 'payload'
import type { AnyConnector, ConnectionTestResult } from '../define.ts'
import { OAUTH_HOST_KEY } from './constants.ts'

export type OAuthTokens = {
  accessToken: string
  refreshToken?: string
  /** ISO time the access token expires, when the provider said. */
  expiresAt?: string
  tokenType: string
  scope?: string
}

export interface OAuthApp {
  clientId: string
  clientSecret: string
}

export interface ConnectorUrlOverrides {
  authorizationUrl?: string
  tokenUrl?: string
  revocationUrl?: string
  urls?: Record<string, string>
}

export interface OAuthHost {
  /** The registered connector with this id. */
  connector(id: string): AnyConnector | undefined
  /** Per-connector URL overrides (tests and `pnpm dev` point connectors at mock servers). */
  overrides: Readonly<Record<string, ConnectorUrlOverrides | undefined>>
  /** Platform OAuth apps by connector id. */
  apps: Readonly<Record<string, OAuthApp | undefined>>
  /** `${PORTAL_URL}/oauth/callback`; the flow refuses to start without it. */
  redirectUri: string | undefined
  keyring(): VaultKeyring
  /**
   * What the caller may do with `tenant`'s connections: `manage` (tenant-admins there, super-admins),
   * `read` (other members), `none` (not a member: the tenant is "not found" for them).
   */
  tenantAccess(req: PayloadRequest, tenant: number): 'manage' | 'read' | 'none' | Promise<'manage' | 'read' | 'none'>
  /** Who reads `connector-apps` (client id and hint; never the secret). */
  readApps: Access
  saveConnection(
    payload: Payload,
    args: {
      tenant: number
      connector: string
      /** The connection being reconnected: updated in place (status connected, notifiedAt cleared). */
      connection?: number
      tokens: OAuthTokens
      app?: OAuthApp
      user?: number | string
      req?: PayloadRequest
    },
  ): Promise<{ id: number | string; name?: string | null }>
  testConnection(payload: Payload, id: number | string): Promise<ConnectionTestResult>
}

/** The host stored on the Payload config by the connectors plugin. */
export function oauthHostOf(payload: Payload): OAuthHost {
  const host = payload.config.custom?.[OAUTH_HOST_KEY] as OAuthHost | undefined
  if (!host) throw new Error('@bizosaas/plugin-connectors is not installed in this Payload config')
  return host
}
