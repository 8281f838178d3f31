'use server'
import { saveAgentSettings } from '@lib/data/agents'
import { authorizeAction } from '@lib/session'
/** Saving an agent's settings for the tenant (tenant-admins only); the CMS validates them again. */
import { revalidatePath } from 'next/cache'
import { z } from 'zod'

export interface SettingsResult {
  ok?: boolean
  error?: string
  /** What was submitted, so a refused form keeps the user's input. */
  values?: Record<string, string>
}

const MODEL = /^(openai|anthropic|[a-z0-9-]+):[\w.:/-]+$/
const form = z.object({
  enabled: z.boolean(),
  models: z
    .string()
    .transform((s) => s.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string().regex(MODEL, 'use provider:model, e.g. openai:gpt-4.1-mini')).max(5, 'at most 5 models')),
  monthlyBudgetUsd: z
    .string()
    .trim()
    .transform((s) => (s === '' ? null : Number(s)))
    .pipe(z.number('a number of US dollars').min(0, 'must be 0 or more').max(1_000_000).nullable()),
  schedule: z
    .string()
    .trim()
    .transform((s) => s || null),
  approvalPolicy: z.enum(['default', 'always', 'never'], 'choose a policy'),
})

const LABELS: Record<string, string> = {
  models: 'Model chain',
  monthlyBudgetUsd: 'Monthly budget',
  schedule: 'Schedule',
  approvalPolicy: 'Approval policy',
}

export async function saveSettings(
  tenant: string,
  agent: string,
  _prev: SettingsResult,
  data: FormData,
): Promise<SettingsResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const values = Object.fromEntries(
    ['models', 'monthlyBudgetUsd', 'schedule', 'approvalPolicy', 'enabled'].map((k) => [k, String(data.get(k) ?? '')]),
  )
  const parsed = form.safeParse({
    enabled: data.get('enabled') === 'on',
    models: String(data.get('models') ?? ''),
    monthlyBudgetUsd: String(data.get('monthlyBudgetUsd') ?? ''),
    schedule: String(data.get('schedule') ?? ''),
    approvalPolicy: String(data.get('approvalPolicy') ?? 'default'),
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = String(issue.path[0] ?? '')
    return { error: `${LABELS[field] ?? field}: ${issue.message}`, values }
  }
  const res = await saveAgentSettings(auth.ctx.session.token, tenant, agent, parsed.data)
  if (!res.ok) {
    // The CMS names the field as its path; say it the way the form does.
    const error = res.error.replace(/^(\w+):/, (_m, f: string) => `${LABELS[f] ?? f}:`)
    return { error, values }
  }
  revalidatePath(`/t/${tenant}/agents`)
  return { ok: true }
}
