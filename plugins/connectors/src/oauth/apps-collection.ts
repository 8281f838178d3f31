/**
 * `connector-apps`: a tenant's own OAuth app per connector (for connectors whose `auth.app` is 'tenant'
 * or 'either'). The client id is readable by whoever may read it; the client secret is sealed with the
 * vault's keyring, bound to the tenant and connector, and never read back. Written only through
 * `PUT/DELETE /api/connectors/:connector/app` (which check the caller); the multi-tenant plugin scopes it.
 */
import type { CollectionConfig, FieldAccess } from 'payload'
import type { ConnectorsAccess } from '../types.ts'
import { CONNECTOR_APPS_SLUG } from './constants.ts'

const nobody: FieldAccess = () => false

/** The seal's associated data: a secret copied to another tenant or connector does not open. */
export const appSecretContext = (tenant: number | string, connector: string) =>
  `bizosaas-connectors:app=${connector};tenant=${tenant}`

/** Members of the tenant read the client id and the secret's hint (the multi-tenant plugin scopes on top). */
export function connectorAppsCollection(access: ConnectorsAccess): CollectionConfig {
  return {
    slug: CONNECTOR_APPS_SLUG,
    labels: { singular: 'Connector app', plural: 'Connector apps' },
    admin: { useAsTitle: 'connector', group: 'Settings', defaultColumns: ['connector', 'clientId', 'secretHint'] },
    access: {
      read: ({ req }) => {
        if (!req.user) return false
        const tenants = access.tenantsOf(req)
        return tenants === 'all' ? true : tenants.length ? { tenant: { in: tenants } } : false
      },
      create: () => false,
      update: () => false,
      delete: () => false,
    },
    fields: [
      { name: 'connector', type: 'text', required: true, index: true },
      { name: 'clientId', type: 'text', required: true, maxLength: 500 },
      { name: 'secretHint', type: 'text', admin: { readOnly: true } },
      { name: 'keyId', type: 'text', access: { read: nobody }, admin: { hidden: true } },
      { name: 'ciphertext', type: 'text', access: { read: nobody }, admin: { hidden: true } },
    ],
  }
}
