/**
 * The benchmark's baseline: our config (`cmsConfig()`, with the same collections, fields, hooks,
 * indexes and localization) without any plugin, and with "signed in" access everywhere. The fields
 * the multi-tenant plugin adds to ours (`tenant` on content, `tenants` on users) are declared here
 * as plain fields, so both sides store and return documents of the same shape and the comparison
 * measures what the plugins and our access functions cost, not different data.
 */
// bench/ has no dependencies of its own: resolve Payload through the CMS's (the same module instances).

import { cmsConfig } from '@bizosaas/cms/config'
import { readCmsEnv } from '@bizosaas/cms/env'
import { TENANT_ROLES } from '@bizosaas/cms/roles'
import { postgresAdapter } from '@payloadcms/db-postgres'
import type { Access, CollectionConfig, Field } from 'payload'
import { buildConfig } from 'payload'

/** Collections the multi-tenant plugin scopes in ours. */
const TENANT_OWNED = new Set(['pages', 'posts', 'categories', 'media'])

const env = readCmsEnv()
// Unbuilt: plugins only run inside buildConfig, so none has touched these collections.
const ours = cmsConfig()

const signedIn: Access = ({ req }) => Boolean(req.user)
const access = { read: signedIn, readVersions: signedIn, create: signedIn, update: signedIn, delete: signedIn }

/** The plugin's `tenant` field without its hooks, filters and access (the plugin puts it first). */
const tenantField: Field = { name: 'tenant', type: 'relationship', relationTo: 'tenants', index: true }

/** The plugin's `tenants` array on users, with our per-tenant `roles` row field, as plain fields. */
const tenantsArrayField: Field = {
  name: 'tenants',
  type: 'array',
  saveToJWT: true,
  fields: [
    { name: 'tenant', type: 'relationship', relationTo: 'tenants', index: true, required: true, saveToJWT: true },
    {
      name: 'roles',
      type: 'select',
      hasMany: true,
      required: true,
      options: [...TENANT_ROLES],
      defaultValue: ['client'],
      saveToJWT: true,
    },
  ],
}

function bare(collection: CollectionConfig): CollectionConfig {
  if (collection.slug === ours.admin?.user)
    // No tenant-assignment guard hook: that is part of what the baseline leaves out.
    return {
      ...collection,
      access: { ...access, admin: ({ req }) => Boolean(req.user) },
      hooks: {},
      fields: [...collection.fields, tenantsArrayField],
    }
  if (TENANT_OWNED.has(collection.slug)) return { ...collection, access, fields: [tenantField, ...collection.fields] }
  return { ...collection, access }
}

// Blocks of ours link to collections a plugin adds (the storefront's product block → `product-content`
// of plugins/medusa): the baseline gets an empty collection of that slug so its config is valid. The
// posts read measured here never touch it.
const PLUGIN_COLLECTIONS = ['product-content']

export default buildConfig({
  ...ours,
  collections: [
    ...(ours.collections ?? []).map(bare),
    ...PLUGIN_COLLECTIONS.map(
      (slug): CollectionConfig => ({ slug, access, fields: [{ name: 'title', type: 'text' }] }),
    ),
  ],
  plugins: [],
  endpoints: [],
  // No migrations for the baseline: its throwaway database is pushed (development mode only).
  db: postgresAdapter({ pool: { connectionString: env.DATABASE_URL }, push: true }),
  typescript: { autoGenerate: false },
})
