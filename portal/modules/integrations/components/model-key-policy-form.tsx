'use client'
/** Which keys pay for the tenant's AI runs: its own, its own then the platform's, or the platform's. */
import type { ModelKeyPolicy } from '@lib/data/connectors'
import { type IntegrationResult, saveModelKeyPolicyAction } from '@modules/integrations/actions'
import { useActionState } from 'react'
import { ResultMessage } from './result-message'

const LABELS: Record<ModelKeyPolicy, string> = {
  'own-only': 'Our own keys only (runs fail when we have none)',
  'own-then-platform': 'Our own keys, then the platform’s',
  'platform-only': 'The platform’s keys only',
}

export function ModelKeyPolicyForm({ tenant, policy }: { tenant: string; policy: ModelKeyPolicy }) {
  const [state, action, pending] = useActionState<IntegrationResult, FormData>(
    saveModelKeyPolicyAction.bind(null, tenant),
    {},
  )
  return (
    <form action={action} data-model-key-policy className="card">
      <h2>AI model keys</h2>
      <fieldset disabled={pending} style={{ border: 0, padding: 0 }}>
        {(Object.keys(LABELS) as ModelKeyPolicy[]).map((p) => (
          <label key={p}>
            <input type="radio" name="policy" value={p} defaultChecked={p === policy} /> {LABELS[p]}
          </label>
        ))}
        <button type="submit">Save</button>
      </fieldset>
      <ResultMessage result={state} />
    </form>
  )
}
