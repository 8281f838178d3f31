import { CronExpressionParser } from 'cron-parser'
import type { CollectionConfig } from 'payload'
import { APPROVAL_POLICY } from '../constants.ts'
import type { AgentsAccess } from '../types.ts'
import { readInTenant } from './access.ts'

const MODEL = /^[a-z][a-z0-9-]*:[^\s]+$/

/** Validates a 5- or 6-field cron expression the way pg-boss reads it. */
export function cronError(value: unknown): string | true {
  if (value == null || value === '') return true
  if (typeof value !== 'string') return 'Use a cron expression like "0 6 * * 1" (Mondays at 06:00)'
  try {
    CronExpressionParser.parse(value)
    return value.trim().split(/\s+/).length >= 5 ? true : 'Use five fields: minute hour day-of-month month day-of-week'
  } catch (error) {
    return `Not a valid cron expression: ${(error as Error).message}`
  }
}

/** Per tenant and agent: on or off, which models, how much it may spend, when it runs, who approves. */
export function agentSettingsCollection(
  access: AgentsAccess | undefined,
  overrides: Partial<CollectionConfig> = {},
): CollectionConfig {
  const configure: NonNullable<CollectionConfig['access']>['update'] = async ({ req, data }) => {
    if (!req.user || !access) return false
    if (access.tenantsOf(req) === 'all') return true
    const tenant = data?.tenant && typeof data.tenant === 'object' ? data.tenant.id : data?.tenant
    if (tenant != null) return access.configure({ req, tenant })
    // Without a document: allowed where the user may configure at least one of their tenants.
    const tenants = access.tenantsOf(req) as (number | string)[]
    for (const t of tenants) if (await access.configure({ req, tenant: t })) return { tenant: { in: tenants } }
    return false
  }
  return {
    ...overrides,
    slug: 'agent-settings',
    labels: { singular: 'Agent setting', plural: 'Agent settings' },
    admin: {
      useAsTitle: 'agent',
      defaultColumns: ['agent', 'enabled', 'monthlyBudgetUsd', 'schedule'],
      group: 'Agents',
      ...overrides.admin,
    },
    access: { read: readInTenant(access), create: configure, update: configure, delete: configure },
    indexes: [{ fields: ['tenant', 'agent'], unique: true }],
    fields: [
      { name: 'agent', type: 'text', required: true, index: true },
      { name: 'enabled', type: 'checkbox', defaultValue: true },
      {
        name: 'models',
        type: 'text',
        hasMany: true,
        admin: {
          description:
            'Model chain tried in order, e.g. openai:gpt-4.1-mini then anthropic:claude-haiku-4-5. Empty: the agent’s default.',
        },
        validate: (value: unknown) => {
          const list = (value ?? []) as unknown[]
          const bad = list.find((m) => typeof m !== 'string' || !MODEL.test(m))
          return bad === undefined
            ? true
            : `"${String(bad)}" is not a model; use provider:model, e.g. openai:gpt-4.1-mini`
        },
      },
      {
        name: 'monthlyBudgetUsd',
        type: 'number',
        min: 0,
        admin: {
          description:
            'Most this agent may spend for the tenant per calendar month (UTC), in US dollars. Empty: no limit.',
        },
      },
      {
        name: 'schedule',
        type: 'text',
        admin: { description: 'Cron (UTC) for scheduled agents, e.g. "0 6 * * 1".' },
        validate: cronError,
      },
      {
        name: 'approvalPolicy',
        type: 'select',
        defaultValue: APPROVAL_POLICY.default,
        options: [
          { label: 'As the agent decides', value: APPROVAL_POLICY.default },
          { label: 'Always ask a person', value: APPROVAL_POLICY.always },
          { label: 'Never ask (apply at once)', value: APPROVAL_POLICY.never },
        ],
      },
    ],
  }
}
