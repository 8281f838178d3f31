/**
 * Creates in tenant-scoped collections are judged with the tenant they will land in. Payload checks
 * create access before it fills defaults, and the multi-tenant plugin fills a missing `tenant` from
 * the admin's `payload-tenant` cookie (any tenant the user belongs to, whatever their role there). So
 * a client of tenant A who edits tenant B could create in A by selecting A and leaving `tenant` out.
 * This makes that default explicit before the access check, which then refuses it.
 */
import { getTenantFromCookie } from '@payloadcms/plugin-multi-tenant/utilities'
import type { CollectionBeforeOperationHook, Config, Plugin } from 'payload'

const tenantFromCookieBeforeAccess: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation !== 'create' || args.overrideAccess || !req.user) return args
  const data = args.data as Record<string, unknown> | undefined
  if (!data || (data.tenant !== undefined && data.tenant !== null && data.tenant !== '')) return args
  const tenant = getTenantFromCookie(req.headers, req.payload.db.defaultIDType === 'number' ? 'number' : 'text')
  if (tenant === null) return args
  return { ...args, data: { ...data, tenant } }
}

/** Adds the hook to every collection with a `tenant` relationship (place after the multi-tenant plugin). */
export const tenantBeforeAccessPlugin: Plugin = (config: Config): Config => ({
  ...config,
  collections: (config.collections ?? []).map((collection) =>
    collection.fields.some((f) => 'name' in f && f.name === 'tenant' && f.type === 'relationship')
      ? {
          ...collection,
          hooks: {
            ...collection.hooks,
            beforeOperation: [...(collection.hooks?.beforeOperation ?? []), tenantFromCookieBeforeAccess],
          },
        }
      : collection,
  ),
})
