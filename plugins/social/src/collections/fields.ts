/** Field pieces the three social collections share: read-only access, the metrics group, the status select. */
import { VARIANT_STATUSES } from '@bizosaas/contracts/social'
import type { Field, FieldAccess } from 'payload'

/** Set by the service only: REST and GraphQL may read it, never write it. */
export const nobody: FieldAccess = () => false
export const readOnly = { create: nobody, update: nobody }

/** Context flag of the service's own writes: the REST guards stand aside for them. */
export const SERVICE_WRITE = 'bizosaas-social:service-write'

export const statusField = (description: string): Field => ({
  name: 'status',
  type: 'select',
  // Not `required`: GraphQL would then ask every create for a field nobody may set over the API.
  defaultValue: 'draft',
  index: true,
  options: VARIANT_STATUSES.map((value) => ({ value, label: value })),
  access: readOnly,
  admin: { readOnly: true, position: 'sidebar', description },
})

export const metricFields = (): Field[] =>
  (['impressions', 'likes', 'reposts', 'replies', 'clicks'] as const).map((name) => ({
    name,
    type: 'number',
    min: 0,
  }))
