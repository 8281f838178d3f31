import type { CollectionConfig, CollectionSlug } from 'payload'
import { APPROVAL_STATUS, COMPONENTS } from '../constants.ts'
import type { AgentsAccess } from '../types.ts'
import { platformOnly, readInTenant } from './access.ts'

/** A proposed change waiting for a person: current beside proposed, and the decision. */
export function approvalsCollection(
  access: AgentsAccess | undefined,
  overrides: Partial<CollectionConfig> = {},
): CollectionConfig {
  return {
    ...overrides,
    slug: 'approvals',
    admin: {
      useAsTitle: 'agent',
      defaultColumns: ['agent', 'status', 'target', 'expiresAt'],
      group: 'Agents',
      ...overrides.admin,
    },
    access: {
      read: readInTenant(access),
      create: platformOnly(access),
      update: platformOnly(access),
      delete: platformOnly(access),
    },
    fields: [
      // The review: current beside proposed, approve / reject with feedback.
      { name: 'review', type: 'ui', admin: { components: { Field: COMPONENTS.approvalReview } } },
      {
        name: 'agentRun',
        type: 'relationship',
        relationTo: 'agent-runs' as CollectionSlug,
        required: true,
        index: true,
        label: 'Run',
      },
      { name: 'runId', type: 'text', required: true, unique: true },
      { name: 'agent', type: 'text', required: true },
      {
        name: 'status',
        type: 'select',
        required: true,
        index: true,
        defaultValue: APPROVAL_STATUS.pending,
        options: Object.values(APPROVAL_STATUS),
        admin: { components: { Cell: COMPONENTS.statusCell } },
      },
      { name: 'proposed', type: 'json', admin: { components: { Field: COMPONENTS.jsonView } } },
      { name: 'current', type: 'json', admin: { components: { Field: COMPONENTS.jsonView } } },
      {
        name: 'target',
        type: 'group',
        fields: [
          { name: 'collection', type: 'text' },
          { name: 'docId', type: 'text' },
        ],
      },
      { name: 'reviewer', type: 'relationship', relationTo: 'users' },
      { name: 'feedback', type: 'textarea' },
      { name: 'decidedAt', type: 'date' },
      { name: 'appliedAt', type: 'date' },
      { name: 'expiresAt', type: 'date', index: true },
      { name: 'error', type: 'text', admin: { description: 'Why applying failed, if it did.' } },
    ],
  }
}
