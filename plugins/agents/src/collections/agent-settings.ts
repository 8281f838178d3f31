import type { CollectionConfig, Payload, TextFieldSingleValidation } from 'payload'
import { text } from 'payload/shared'
import { pluginConfigOf } from '../config.ts'
import { APPROVAL_POLICY } from '../constants.ts'
import { cronError } from '../cron.ts'
import { hostedAgent } from '../registry.ts'
import type { AgentsAccess } from '../types.ts'
import { readInTenant } from './access.ts'

const MODEL = /^[a-z][a-z0-9-]*:[^\s]+$/

/**
 * Refuses a cron for an agent that cannot run on a schedule (no `schedule` in its definition, or not
 * installed): saving it would otherwise look like it worked while nothing ever runs.
 */
export function scheduleSupportError(payload: Payload | undefined, agent: unknown, cron: unknown): string | true {
  if (!payload || cron == null || (typeof cron === 'string' && !cron.trim())) return true
  // A disabled plugin hosts no agents and schedules nothing; the field is only kept for the schema.
  if (!pluginConfigOf(payload).enabled) return true
  const hosted = typeof agent === 'string' ? hostedAgent(payload, agent) : undefined
  if (!hosted) return `No agent "${String(agent)}" is installed, so it cannot run on a schedule. Clear the schedule.`
  if (!hosted.schedule)
    return `The agent "${agent}" cannot run on a schedule (it does not define one). Clear the schedule.`
  return true
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
    // Without a document: the rows of the tenants the user may configure (not every tenant they belong
    // to: a tenant-admin of A who is a client of B must not change B's settings).
    const configurable: (number | string)[] = []
    for (const t of access.tenantsOf(req) as (number | string)[])
      if (await access.configure({ req, tenant: t })) configurable.push(t)
    return configurable.length ? { tenant: { in: configurable } } : false
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
      {
        name: 'agent',
        type: 'text',
        required: true,
        index: true,
        // Moving a row to another agent keeps its cron, which that agent must support.
        validate: ((value, args) => {
          const { data, req, operation, previousValue } = args
          const required = text(value, args)
          if (required !== true || operation !== 'update' || value === previousValue) return required
          return scheduleSupportError(req?.payload, value, (data as { schedule?: unknown } | undefined)?.schedule)
        }) satisfies TextFieldSingleValidation,
      },
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
        admin: {
          description:
            'Cron (UTC) to run this agent on, e.g. "0 6 * * 1" (Mondays at 06:00), for agents that support schedules. Empty: not scheduled.',
        },
        validate: ((value, { data, req }) => {
          const invalid = cronError(value)
          if (invalid !== true) return invalid
          return scheduleSupportError(req?.payload, (data as { agent?: unknown } | undefined)?.agent, value)
        }) satisfies TextFieldSingleValidation,
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
