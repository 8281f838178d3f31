import type { CollectionConfig, CollectionSlug } from 'payload'
import { COMPONENTS, STEP_KIND } from '../constants.ts'
import type { AgentsAccess } from '../types.ts'
import { platformOnly, readInTenant } from './access.ts'

/** Each model call, tool call and completed step of a run, in order. */
export function agentStepsCollection(
  access: AgentsAccess | undefined,
  overrides: Partial<CollectionConfig> = {},
): CollectionConfig {
  return {
    ...overrides,
    slug: 'agent-steps',
    labels: { singular: 'Agent step', plural: 'Agent steps' },
    admin: {
      useAsTitle: 'kind',
      defaultColumns: ['agentRun', 'seq', 'kind', 'name', 'latencyMs'],
      group: 'Agents',
      ...overrides.admin,
    },
    access: {
      read: readInTenant(access),
      create: platformOnly(access),
      update: platformOnly(access),
      delete: platformOnly(access),
    },
    indexes: [{ fields: ['runId', 'seq'], unique: true }],
    fields: [
      {
        name: 'agentRun',
        type: 'relationship',
        relationTo: 'agent-runs' as CollectionSlug,
        required: true,
        index: true,
        label: 'Run',
      },
      { name: 'runId', type: 'text', required: true, index: true },
      { name: 'agent', type: 'text', required: true, index: true },
      { name: 'seq', type: 'number', required: true },
      { name: 'kind', type: 'select', required: true, options: Object.values(STEP_KIND) },
      { name: 'step', type: 'number' },
      { name: 'name', type: 'text', admin: { description: 'Model or tool.' } },
      { name: 'inputTokens', type: 'number' },
      { name: 'outputTokens', type: 'number' },
      { name: 'cachedTokens', type: 'number' },
      { name: 'costUsd', type: 'number' },
      { name: 'latencyMs', type: 'number' },
      { name: 'isError', type: 'checkbox', defaultValue: false },
      { name: 'data', type: 'json', admin: { components: { Field: COMPONENTS.jsonView } } },
    ],
  }
}
