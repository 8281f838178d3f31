'use client'
import type { AgentSettingsValues } from '@lib/data/agents'
import { type SettingsResult, saveSettings } from '@modules/agents/actions'
import cronstrue from 'cronstrue'
import { useActionState, useState } from 'react'

function describeCron(cron: string): string {
  if (!cron.trim()) return 'Not scheduled'
  try {
    return `${cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: true })} (UTC)`
  } catch (error) {
    return `Not a valid cron expression: ${String(error)}`
  }
}

export function SettingsForm({
  tenant,
  agent,
  enabled,
  settings,
  schedulable,
  defaultCron,
  editable,
}: {
  tenant: string
  agent: string
  enabled: boolean
  settings: AgentSettingsValues | null
  schedulable: boolean
  defaultCron: string | null
  editable: boolean
}) {
  const [state, action, pending] = useActionState<SettingsResult, FormData>(saveSettings.bind(null, tenant, agent), {})
  const [cron, setCron] = useState(settings?.schedule ?? '')
  // After a refusal React resets the form to its default values: make those what the user typed.
  const v = state.values
  return (
    <form action={action} data-settings={agent}>
      <fieldset disabled={!editable || pending} style={{ border: 0, padding: 0 }}>
        <label>
          <input type="checkbox" name="enabled" defaultChecked={v ? v.enabled === 'on' : enabled} /> Enabled
        </label>
        <label>
          Model chain (tried in order)
          <input
            name="models"
            defaultValue={v?.models ?? settings?.models.join(', ') ?? ''}
            placeholder="openai:gpt-4.1-mini, anthropic:claude-haiku-4-5"
          />
        </label>
        <label>
          Monthly budget (USD)
          <input
            name="monthlyBudgetUsd"
            inputMode="decimal"
            defaultValue={v?.monthlyBudgetUsd ?? settings?.monthlyBudgetUsd ?? ''}
            placeholder="no limit"
          />
        </label>
        {schedulable && (
          <label>
            Schedule (cron, UTC)
            <input
              name="schedule"
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              placeholder={defaultCron ?? '0 6 * * 1'}
            />
            <small data-cron-preview>{describeCron(cron)}</small>
          </label>
        )}
        <label>
          Approval policy
          <select name="approvalPolicy" defaultValue={v?.approvalPolicy ?? settings?.approvalPolicy ?? 'default'}>
            <option value="default">As the agent decides</option>
            <option value="always">Always ask a person</option>
            <option value="never">Never ask (apply at once)</option>
          </select>
        </label>
        {editable && <button type="submit">Save</button>}
      </fieldset>
      {state.ok && (
        <p className="ok" role="status">
          Saved.
        </p>
      )}
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  )
}
