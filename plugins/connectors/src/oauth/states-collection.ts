/**
 * `connector-oauth-states`: one row per started OAuth flow — the state's SHA-256 (never the state), the
 * user, tenant, connector and connection it is bound to, the sealed PKCE verifier, the redirect URI,
 * when it expires and when it was used. No REST/GraphQL/admin access: only the flow writes and reads it.
 */
import type { CollectionConfig } from 'payload'
import { OAUTH_STATES_SLUG } from './constants.ts'

const nobody = () => false

export function oauthStatesCollection(): CollectionConfig {
  return {
    slug: OAUTH_STATES_SLUG,
    admin: { hidden: true },
    access: { read: nobody, create: nobody, update: nobody, delete: nobody },
    graphQL: false,
    fields: [
      { name: 'stateHash', type: 'text', required: true, unique: true, index: true },
      { name: 'user', type: 'relationship', relationTo: 'users', required: true },
      { name: 'tenant', type: 'relationship', relationTo: 'tenants', required: true },
      { name: 'connector', type: 'text', required: true },
      /** The connection being reconnected, when it is a reconnect. */
      { name: 'connection', type: 'number' },
      /** Whose OAuth app the flow uses: the platform's or the tenant's own. */
      { name: 'app', type: 'select', options: ['platform', 'tenant'], required: true },
      { name: 'verifierCiphertext', type: 'text', required: true },
      { name: 'verifierKeyId', type: 'text', required: true },
      { name: 'redirectUri', type: 'text', required: true },
      { name: 'expiresAt', type: 'date', required: true, index: true },
      { name: 'usedAt', type: 'date' },
    ],
  }
}
