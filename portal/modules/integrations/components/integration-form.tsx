'use client'
import { addIntegration, type IntegrationResult } from '@modules/integrations/actions'
import { useActionState } from 'react'

export function IntegrationForm({ tenant }: { tenant: string }) {
  const [state, action, pending] = useActionState<IntegrationResult, FormData>(addIntegration.bind(null, tenant), {})
  return (
    <form action={action} data-integration-form className="card">
      <h2>Connect a service</h2>
      <label>
        Name <input name="name" required maxLength={120} placeholder="OpenAI production" />
      </label>
      <label>
        Provider
        <select name="provider" defaultValue="openai">
          <option value="openai">OpenAI (or compatible)</option>
          <option value="anthropic">Anthropic</option>
        </select>
      </label>
      <label>
        Base URL (optional) <input name="baseUrl" placeholder="https://api.openai.com/v1" />
      </label>
      <label>
        API key <input name="secret" type="password" autoComplete="off" required />
      </label>
      <button type="submit" disabled={pending}>
        Save
      </button>
      {state.message && (
        <p className="ok" role="status">
          {state.message}
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
