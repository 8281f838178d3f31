import type { CollectionConfig } from 'payload'
import { ADMIN_ROLES, hasTenantRole, isSuperAdmin, tenantIdsWithRole, userOf } from '../access/roles.ts'
import { slugField } from '../fields/slug.ts'
import { revalidateStorefrontHooks } from '../hooks/revalidate-storefront.ts'

const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}){1,2}$/
const DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/

const colour = (name: string, label: string, defaultValue: string) =>
  ({
    name,
    label,
    type: 'text',
    defaultValue,
    validate: (value: unknown) =>
      value == null || value === '' || (typeof value === 'string' && HEX_COLOUR.test(value))
        ? true
        : 'Use a hex colour like #1d4ed8',
  }) as const

/** A business on the platform: an agency client or a brand, with its site, shop and agents. */
export const tenants: CollectionConfig = {
  slug: 'tenants',
  admin: { useAsTitle: 'name', defaultColumns: ['name', 'slug', 'domains'] },
  hooks: revalidateStorefrontHooks(),
  access: {
    // Members see their tenants (the multi-tenant plugin adds that constraint); super-admins all.
    read: ({ req }) => Boolean(req.user),
    create: ({ req }) => isSuperAdmin(userOf(req)),
    delete: ({ req }) => isSuperAdmin(userOf(req)),
    update: ({ req, id }) => {
      const user = userOf(req)
      if (isSuperAdmin(user)) return true
      if (id !== undefined) return hasTenantRole(user, id, ADMIN_ROLES)
      const ids = tenantIdsWithRole(user, ADMIN_ROLES)
      return ids.length ? { id: { in: ids } } : false
    },
  },
  fields: [
    { name: 'name', type: 'text', required: true },
    slugField('name', { unique: true }),
    {
      name: 'domains',
      type: 'array',
      admin: { description: 'Host names the storefront answers for this tenant, e.g. shop.example.com.' },
      fields: [
        {
          name: 'domain',
          type: 'text',
          required: true,
          hooks: { beforeValidate: [({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)] },
          validate: (value: unknown) =>
            typeof value === 'string' && DOMAIN.test(value) ? true : 'Use a host name like shop.example.com',
        },
      ],
    },
    {
      name: 'brand',
      type: 'group',
      fields: [
        { name: 'logo', type: 'upload', relationTo: 'media' },
        colour('primaryColor', 'Primary colour', '#1d4ed8'),
        colour('accentColor', 'Accent colour', '#f59e0b'),
      ],
    },
    {
      name: 'commerce',
      type: 'group',
      admin: { description: 'Filled when the tenant’s shop is provisioned in Medusa.' },
      // Only super-admins change the commerce link; tenant-admins see it.
      access: { update: ({ req }) => isSuperAdmin(userOf(req)), create: ({ req }) => isSuperAdmin(userOf(req)) },
      fields: [
        {
          name: 'enabled',
          type: 'checkbox',
          label: 'Sells through Medusa',
          defaultValue: false,
          admin: {
            description:
              'When checked, saving links the tenant to Medusa: a sales channel, publishable key and stock location are made (or found) and recorded below.',
          },
        },
        {
          type: 'row',
          fields: [
            { name: 'salesChannelId', type: 'text', label: 'Medusa sales channel id', admin: { readOnly: true } },
            { name: 'stockLocationId', type: 'text', label: 'Medusa stock location id', admin: { readOnly: true } },
          ],
        },
        {
          type: 'row',
          fields: [
            { name: 'publishableKey', type: 'text', label: 'Medusa publishable API key', admin: { readOnly: true } },
            { name: 'publishableKeyId', type: 'text', label: 'Publishable key id', admin: { readOnly: true } },
          ],
        },
        { name: 'linkedAt', type: 'date', admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
        {
          name: 'linkError',
          type: 'textarea',
          admin: { readOnly: true, condition: (_, sibling) => Boolean(sibling?.linkError) },
        },
      ],
    },
  ],
}
