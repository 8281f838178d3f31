/**
 * `tenant-data-jobs`: one row per export, import and deletion — what was asked, by whom, its progress
 * (polled by clients while it runs) and result. Not tenant-scoped: the record outlives the tenant.
 * Written only by the server; platform admins read it.
 */
import type { CollectionConfig } from 'payload'
import { JOB_KIND, JOB_STATUS, JOBS_SLUG } from '../constants.ts'
import type { ResolvedTenantDataConfig } from '../types.ts'

export function tenantDataJobsCollection(config: ResolvedTenantDataConfig): CollectionConfig {
  const overrides = config.collectionOverrides
  const platform = ({ req }: { req: Parameters<ResolvedTenantDataConfig['access']>[0] }) =>
    Boolean(req.user) && config.access(req)
  return {
    ...overrides,
    slug: JOBS_SLUG,
    labels: { singular: 'Tenant data job', plural: 'Tenant data jobs' },
    admin: {
      useAsTitle: 'tenantSlug',
      defaultColumns: ['kind', 'tenantSlug', 'status', 'createdAt'],
      group: 'Platform',
      ...overrides.admin,
    },
    access: { read: platform, create: () => false, update: () => false, delete: () => false, ...overrides.access },
    fields: [
      { name: 'kind', type: 'select', required: true, index: true, options: Object.values(JOB_KIND) },
      { name: 'status', type: 'select', required: true, index: true, options: Object.values(JOB_STATUS) },
      // Text, not a relationship: the tenant is gone after a deletion, and a relationship would make
      // this collection look tenant-scoped.
      { name: 'tenantKey', type: 'text', required: true, index: true },
      { name: 'tenantSlug', type: 'text', required: true },
      { name: 'plan', type: 'json', admin: { description: 'Counts per collection at the dry run (deletion).' } },
      {
        name: 'progress',
        type: 'json',
        admin: { description: 'Export: { done, total, current }. Deletion: rows removed per collection so far.' },
      },
      { name: 'result', type: 'json' },
      { name: 'error', type: 'textarea' },
      { name: 'requestedBy', type: 'text', admin: { description: 'Email of the platform admin who asked.' } },
      { name: 'bossJobId', type: 'text', admin: { description: 'The pg-boss job of a deletion.' } },
      { name: 'attempts', type: 'number', defaultValue: 0 },
      { name: 'startedAt', type: 'date' },
      { name: 'finishedAt', type: 'date' },
    ],
  }
}
