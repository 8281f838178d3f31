import type { CollectionConfig, CollectionSlug } from 'payload'
import { COMPONENTS, RUN_STATUS, TRIGGER_KIND } from '../constants.ts'
import type { AgentsAccess } from '../types.ts'
import { platformOnly, readInTenant } from './access.ts'

/** One row per agent run: what ran, why, for which document, what it produced and cost. */
export function agentRunsCollection(
  access: AgentsAccess | undefined,
  overrides: Partial<CollectionConfig> = {},
): CollectionConfig {
  return {
    ...overrides,
    slug: 'agent-runs',
    labels: { singular: 'Agent run', plural: 'Agent runs' },
    admin: {
      useAsTitle: 'agent',
      defaultColumns: ['agent', 'status', 'costUsd', 'createdAt'],
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
      // The run view: summary, error and steps, followed live while the run goes on.
      { name: 'runView', type: 'ui', admin: { components: { Field: COMPONENTS.runView } } },
      { name: 'runId', type: 'text', required: true, unique: true, index: true, admin: { readOnly: true } },
      { name: 'agent', type: 'text', required: true, index: true },
      {
        name: 'status',
        type: 'select',
        required: true,
        index: true,
        defaultValue: RUN_STATUS.queued,
        options: Object.values(RUN_STATUS),
        admin: { components: { Cell: COMPONENTS.statusCell } },
      },
      { name: 'input', type: 'json', admin: { components: { Field: COMPONENTS.jsonView } } },
      { name: 'output', type: 'json', admin: { components: { Field: COMPONENTS.jsonView } } },
      {
        name: 'trigger',
        type: 'group',
        fields: [
          { name: 'kind', type: 'select', options: Object.values(TRIGGER_KIND), defaultValue: TRIGGER_KIND.manual },
          { name: 'user', type: 'relationship', relationTo: 'users' },
          { name: 'detail', type: 'text' },
        ],
      },
      {
        name: 'target',
        type: 'group',
        admin: { description: 'The document this run works on.' },
        fields: [
          { name: 'collection', type: 'text', index: true },
          { name: 'docId', type: 'text', index: true },
        ],
      },
      { name: 'model', type: 'text' },
      {
        name: 'offline',
        type: 'checkbox',
        defaultValue: false,
        admin: { description: 'Output came from the offline mock model.' },
      },
      {
        name: 'keySource',
        type: 'select',
        options: [
          { value: 'tenant', label: 'Tenant’s own key' },
          { value: 'platform', label: 'Platform key' },
          { value: 'offline', label: 'Offline mock (no key)' },
        ],
        admin: { readOnly: true, description: 'Whose model key paid for this run (its first model’s provider).' },
      },
      {
        name: 'keyConnection',
        type: 'text',
        admin: {
          readOnly: true,
          description: 'The tenant’s connection whose key paid.',
          condition: (data) => data?.keySource === 'tenant',
        },
      },
      { name: 'usage', type: 'json', admin: { components: { Field: COMPONENTS.jsonView } } },
      {
        name: 'costUsd',
        type: 'number',
        label: 'Cost (USD)',
        defaultValue: 0,
        index: true,
        admin: { components: { Cell: COMPONENTS.costCell } },
      },
      { name: 'error', type: 'json', admin: { components: { Field: COMPONENTS.jsonView } } },
      { name: 'attempt', type: 'number', defaultValue: 0 },
      {
        name: 'feedback',
        type: 'textarea',
        admin: { description: 'Reviewer feedback this run was asked to address.' },
      },
      { name: 'previousRun', type: 'relationship', relationTo: 'agent-runs' as CollectionSlug },
      { name: 'startedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
      { name: 'finishedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
      { name: 'durationMs', type: 'number' },
      { name: 'appliedAt', type: 'date' },
    ],
  }
}
