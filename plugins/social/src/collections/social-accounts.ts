/**
 * `social-accounts`: who a tenant posts as — a connection (tokens live there) plus the profile, page,
 * organisation or business account chosen from what that connection may post as. One per (tenant,
 * platform, target). Added through `POST /api/social/accounts`, which asks the platform that the
 * connection can post as the target; over REST only its tenant-admins change its name and `active`.
 */
import { SOCIAL_PLATFORMS } from '@bizosaas/contracts/social'
import {
  APIError,
  type CollectionBeforeChangeHook,
  type CollectionBeforeDeleteHook,
  type CollectionConfig,
} from 'payload'
import { SOCIAL_ACCOUNTS, SOCIAL_VARIANTS } from '../constants.ts'
import { idOf } from '../posts.ts'
import type { ResolvedSocialConfig } from '../types.ts'
import { readOnly } from './fields.ts'

/** An account posted with cannot move tenants, nor be deleted while variants use it (switch it off instead). */
const guardAccountEdit: CollectionBeforeChangeHook = ({ data, originalDoc, operation }) => {
  if (operation === 'update' && data.tenant != null && idOf(data.tenant) !== idOf(originalDoc?.tenant))
    throw new APIError('A social account cannot move to another tenant; add it there instead.', 400, undefined, true)
  return data
}

const guardAccountDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const used = await req.payload.count({
    collection: SOCIAL_VARIANTS as never,
    where: { account: { equals: id } },
    overrideAccess: true,
    req,
  })
  if (used.totalDocs)
    throw new APIError(
      `This account has ${used.totalDocs} post variant(s); switch it off (active) instead of deleting it.`,
      409,
      undefined,
      true,
    )
}

export function socialAccountsCollection(config: ResolvedSocialConfig): CollectionConfig {
  const overrides = config.collectionOverrides[SOCIAL_ACCOUNTS] ?? {}
  return {
    ...overrides,
    slug: SOCIAL_ACCOUNTS,
    labels: { singular: 'Social account', plural: 'Social accounts' },
    admin: {
      useAsTitle: 'name',
      defaultColumns: ['name', 'platform', 'handle', 'active'],
      group: 'Social',
      ...overrides.admin,
    },
    access: {
      read: config.access.read,
      // Only POST /api/social/accounts adds one: it asks the platform that the connection can post as it.
      create: () => false,
      update: config.access.manageAccounts,
      delete: config.access.manageAccounts,
      ...overrides.access,
    },
    // One account per (tenant, platform, target); one variant per (post, account).
    indexes: [{ fields: ['tenant', 'platform', 'targetId'], unique: true }, ...(overrides.indexes ?? [])],
    hooks: {
      ...overrides.hooks,
      beforeChange: [...(config.enabled ? [guardAccountEdit] : []), ...(overrides.hooks?.beforeChange ?? [])],
      beforeDelete: [...(config.enabled ? [guardAccountDelete] : []), ...(overrides.hooks?.beforeDelete ?? [])],
    },
    fields: [
      {
        name: 'platform',
        type: 'select',
        required: true,
        index: true,
        options: SOCIAL_PLATFORMS.map((value) => ({ value, label: value })),
        access: readOnly,
      },
      { name: 'connection', type: 'relationship', relationTo: 'connections', required: true, access: readOnly },
      {
        name: 'targetId',
        type: 'text',
        required: true,
        access: readOnly,
        admin: { description: 'The platform’s id of the profile, page or organisation posted as.' },
      },
      {
        name: 'targetType',
        type: 'select',
        required: true,
        options: ['profile', 'organization', 'page', 'business'].map((value) => ({ value, label: value })),
        access: readOnly,
      },
      { name: 'name', type: 'text', required: true, maxLength: 200 },
      { name: 'handle', type: 'text', access: readOnly },
      { name: 'url', type: 'text', access: readOnly },
      { name: 'avatarUrl', type: 'text', access: readOnly },
      {
        name: 'active',
        type: 'checkbox',
        defaultValue: true,
        admin: { description: 'Inactive accounts are not offered for new posts.' },
      },
      ...(overrides.fields ?? []),
    ],
  }
}
