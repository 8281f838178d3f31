/**
 * `audit-log`: append-only entries. Read access comes from the host (tenant-scoped there); create, update
 * and delete are `false` for every API (REST, GraphQL, Local API without overrideAccess), and GraphQL has
 * no mutations for it at all. Rows are written only by the plugin's one INSERT (see sql.ts).
 */
import type { CollectionConfig, CollectionSlug } from 'payload'
import { AUDIT_LOG_SLUG } from '../constants.ts'
import type { ResolvedAuditLogConfig } from '../types.ts'

const nobody = () => false

export function auditLogCollection(config: ResolvedAuditLogConfig): CollectionConfig {
  const overrides = config.collectionOverrides
  return {
    ...overrides,
    slug: AUDIT_LOG_SLUG,
    labels: { singular: 'Audit entry', plural: 'Audit log' },
    admin: {
      useAsTitle: 'action',
      defaultColumns: [
        'createdAt',
        'action',
        'collectionSlug',
        'documentId',
        'userEmail',
        'tenant',
        'changedFields',
        'ip',
      ],
      listSearchableFields: ['action', 'userEmail', 'collectionSlug', 'documentId', 'requestId'],
      group: 'Settings',
      description:
        'Every change, sign-in and decision. Entries cannot be edited or deleted; old ones expire after the retention period.',
      ...overrides.admin,
    },
    defaultSort: '-createdAt',
    disableDuplicate: true,
    graphQL: { singularName: 'AuditEntry', pluralName: 'AuditEntries', disableMutations: true },
    access: { read: config.read, create: nobody, update: nobody, delete: nobody },
    fields: [
      { name: 'action', type: 'text', required: true, index: true, admin: { readOnly: true } },
      { name: 'collectionSlug', label: 'Collection', type: 'text', index: true, admin: { readOnly: true } },
      { name: 'documentId', label: 'Document id', type: 'text', index: true, admin: { readOnly: true } },
      {
        name: 'tenant',
        type: 'relationship',
        relationTo: config.tenantsCollection as CollectionSlug,
        index: true,
        admin: { readOnly: true, description: 'Empty: a platform-level entry, only super-admins read it.' },
      },
      {
        name: 'user',
        type: 'relationship',
        relationTo: config.userCollection as CollectionSlug,
        index: true,
        admin: { readOnly: true },
      },
      {
        name: 'userEmail',
        label: 'Email',
        type: 'text',
        index: true,
        admin: { readOnly: true, description: 'The email at the time (kept when the user is deleted).' },
      },
      {
        name: 'changedFields',
        label: 'Changed fields',
        type: 'json',
        admin: { readOnly: true, description: 'Names of the fields that changed — never their values.' },
      },
      { name: 'details', type: 'json', admin: { readOnly: true } },
      { name: 'ip', label: 'IP', type: 'text', admin: { readOnly: true } },
      { name: 'userAgent', label: 'User agent', type: 'text', admin: { readOnly: true } },
      { name: 'requestId', label: 'Request id', type: 'text', index: true, admin: { readOnly: true } },
    ],
  }
}
