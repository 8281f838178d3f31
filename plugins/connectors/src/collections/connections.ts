/**
 * `connections`: a tenant's connection to an outside account (one connector, one account). The secret
 * part — credentials, tokens, the tenant's own app — is one sealed blob (`ciphertext`, vault keyring,
 * bound to the connection and tenant) that no API ever returns. Rows are written only by the runtime
 * (`saveConnection`, the token refresh, the endpoints); over REST/GraphQL they are read-only.
 */
import type { Access, CollectionConfig, FieldAccess } from 'payload'
import { CONNECTION_STATUSES, CONNECTIONS_SLUG } from '../constants.ts'
import type { ResolvedConnectorsConfig } from '../types.ts'

const nobody: FieldAccess = () => false
const never: Access = () => false

/** Members may read their tenants' connections (status, account, scopes — never secrets). */
const readable =
  (config: ResolvedConnectorsConfig): Access =>
  ({ req }) => {
    if (!req.user) return false
    const tenants = config.access.tenantsOf(req)
    if (tenants === 'all') return true
    return tenants.length ? { tenant: { in: tenants } } : false
  }

export function connectionsCollection(config: ResolvedConnectorsConfig): CollectionConfig {
  const overrides = config.collectionOverrides
  const readOnly = { create: nobody, update: nobody }
  return {
    ...overrides,
    slug: CONNECTIONS_SLUG,
    labels: { singular: 'Connection', plural: 'Connections' },
    admin: {
      useAsTitle: 'name',
      defaultColumns: ['name', 'connector', 'status', 'account', 'checkedAt'],
      group: 'Settings',
      description: 'Accounts your tenant connected at outside services. Connect, test and disconnect in the portal.',
      ...overrides.admin,
    },
    access: {
      read: readable(config),
      // Only through the connectors endpoints and the runtime (which test, seal and revoke).
      create: never,
      update: never,
      delete: never,
      ...overrides.access,
    },
    fields: [
      { name: 'connector', type: 'text', required: true, index: true, access: readOnly },
      { name: 'name', type: 'text', required: true, maxLength: 120 },
      {
        name: 'status',
        type: 'select',
        required: true,
        defaultValue: 'connected',
        index: true,
        options: CONNECTION_STATUSES.map((value) => ({ value, label: value })),
        access: readOnly,
      },
      {
        name: 'lastError',
        type: 'text',
        access: readOnly,
        admin: { description: 'What went wrong last (never a secret).' },
      },
      { name: 'checkedAt', type: 'date', access: readOnly },
      {
        name: 'account',
        type: 'text',
        access: readOnly,
        admin: { description: 'The account at the provider, as its test named it.' },
      },
      { name: 'scopes', type: 'json', access: readOnly },
      { name: 'expiresAt', type: 'date', index: true, access: readOnly },
      {
        name: 'secretHint',
        type: 'text',
        access: readOnly,
        admin: { description: 'The last four characters of the stored key, when there is one.' },
      },
      { name: 'keyId', type: 'text', index: true, access: readOnly, admin: { readOnly: true } },
      {
        name: 'ciphertext',
        type: 'text',
        access: { read: nobody, create: nobody, update: nobody },
        admin: { hidden: true },
      },
      { name: 'notifiedAt', type: 'date', access: readOnly },
      { name: 'connectedBy', type: 'relationship', relationTo: 'users', access: readOnly },
    ],
  }
}
