/**
 * Auto-drafting: publishing a blog post (`posts` reaching `_status: published`) or a product
 * (`product-content` reaching `status: published`, as Medusa's status is mirrored by the sync) starts
 * `social-compose` for the tenant's default accounts — when the tenant's `social.autoDraftFrom` setting
 * names that kind. Once per document: a document that already has a social post, or a live run (the
 * dedupe key), is not drafted again when it is unpublished and published anew.
 */
import { type AgentTrigger, type Id, idOf } from '@bizosaas/plugin-agents'
import type { CollectionConfig, Config, Field, PayloadRequest } from 'payload'
import { SOCIAL_ACCOUNTS, SOCIAL_POSTS } from '../constants.ts'
import type { SocialComposeInput } from './compose-input.ts'

export const SOCIAL_TENANT_FIELD = 'social'
export const AUTO_DRAFT_KINDS = ['posts', 'products'] as const
export type AutoDraftKind = (typeof AUTO_DRAFT_KINDS)[number]

/** The `social` group on `tenants`: what publishing drafts social posts for, and to which accounts. */
export const socialTenantField: Field = {
  name: SOCIAL_TENANT_FIELD,
  type: 'group',
  label: 'Social',
  admin: { description: 'Social posts drafted automatically when something is published.' },
  fields: [
    {
      name: 'autoDraftFrom',
      type: 'select',
      hasMany: true,
      defaultValue: [],
      label: 'Draft social posts when publishing',
      options: [
        { label: 'Blog posts', value: 'posts' },
        { label: 'Products', value: 'products' },
      ],
      admin: { description: 'Each draft waits in the calendar for approval (or follows the agent’s policy).' },
    },
    {
      name: 'defaultAccounts',
      type: 'relationship',
      relationTo: SOCIAL_ACCOUNTS as never,
      hasMany: true,
      label: 'Default accounts',
      // Only this tenant's own accounts (the document is the tenant).
      filterOptions: ({ id }) => (id === undefined ? false : { tenant: { equals: id } }),
      admin: { description: 'Accounts automatic drafts are written for.' },
    },
  ],
}

/** Adds the `social` group to `tenants` (once; kept when the plugin is disabled, for the schema). */
export function withSocialTenantSettings(config: Config): Config {
  const collections = (config.collections ?? []).map((collection): CollectionConfig => {
    if (collection.slug !== 'tenants') return collection
    if (collection.fields.some((f) => 'name' in f && f.name === SOCIAL_TENANT_FIELD)) return collection
    return { ...collection, fields: [...collection.fields, socialTenantField] }
  })
  return { ...config, collections }
}

interface TenantSocial {
  autoDraftFrom?: string[] | null
  defaultAccounts?: unknown[] | null
}

/** The tenant's active default accounts when it auto-drafts from `kind`; [] otherwise. */
async function autoDraftAccounts(req: PayloadRequest, tenant: Id, kind: AutoDraftKind): Promise<Id[]> {
  const doc = (await req.payload.findByID({
    collection: 'tenants' as never,
    id: tenant,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
    req,
  })) as { [SOCIAL_TENANT_FIELD]?: TenantSocial } | null
  const settings = doc?.[SOCIAL_TENANT_FIELD]
  if (!settings?.autoDraftFrom?.includes(kind)) return []
  const ids = (settings.defaultAccounts ?? []).map(idOf).filter((id): id is Id => id !== undefined)
  if (!ids.length) return []
  const found = await req.payload.find({
    collection: SOCIAL_ACCOUNTS as never,
    where: { and: [{ tenant: { equals: tenant } }, { id: { in: ids } }, { active: { not_equals: false } }] },
    depth: 0,
    limit: ids.length,
    overrideAccess: true,
    req,
  })
  const active = new Set(found.docs.map((d) => String((d as { id: Id }).id)))
  return ids.filter((id) => active.has(String(id)))
}

/** Whether the tenant already has a social post made from this document (`source.document`). */
async function hasSocialPost(
  req: PayloadRequest,
  tenant: Id,
  kind: 'post' | 'product',
  doc: Record<string, unknown> & { id: Id },
): Promise<boolean> {
  const { totalDocs } = await req.payload.count({
    collection: SOCIAL_POSTS as never,
    where: {
      and: [
        { tenant: { equals: tenant } },
        { 'source.kind': { equals: kind } },
        { 'source.document': { equals: String(doc.id) } },
      ],
    },
    overrideAccess: true,
    req,
  })
  return totalDocs > 0
}

type Doc = Record<string, unknown> & { id: Id }

function trigger(
  collection: string,
  kind: AutoDraftKind,
  published: (doc: Record<string, unknown> | undefined) => boolean,
): AgentTrigger {
  const sourceKind = kind === 'posts' ? ('post' as const) : ('product' as const)
  return {
    collection: collection as never,
    when: async ({ doc, previousDoc, req }) => {
      if (!published(doc) || published(previousDoc)) return false
      const tenant = idOf(doc.tenant && typeof doc.tenant === 'object' ? (doc.tenant as Doc).id : doc.tenant)
      if (tenant === undefined) return false
      // Publishing never fails because of an auto-draft: a failed check drafts nothing and is logged.
      try {
        if (!(await autoDraftAccounts(req, tenant, kind)).length) return false
        return !(await hasSocialPost(req, tenant, sourceKind, doc))
      } catch (error) {
        req.payload.logger.warn({ err: error, collection, id: doc.id }, 'social: auto-draft check failed')
        return false
      }
    },
    input: async ({ doc, req }): Promise<SocialComposeInput> => {
      const tenant = idOf(doc.tenant && typeof doc.tenant === 'object' ? (doc.tenant as Doc).id : doc.tenant)!
      return { source: { kind: sourceKind, id: doc.id }, accounts: await autoDraftAccounts(req, tenant, kind) }
    },
    dedupeKey: ({ doc }) => `social-compose:${collection}:${doc.id}`,
  }
}

/** `social-compose`'s triggers: a blog post or a product published for the first time. */
export function autoDraftTriggers(): AgentTrigger[] {
  return [
    trigger('posts', 'posts', (doc) => doc?._status === 'published'),
    trigger('product-content', 'products', (doc) => doc?.status === 'published'),
  ]
}
