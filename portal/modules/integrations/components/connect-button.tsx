'use client'
/** Connect (or reconnect) through the provider's consent page: the server action starts the flow and redirects there. */
import { type IntegrationResult, startOAuth } from '@modules/integrations/actions'
import { useActionState } from 'react'
import { ResultMessage } from './result-message'

export function ConnectButton({
  tenant,
  connector,
  connection,
  label,
}: {
  tenant: string
  connector: string
  connection?: number
  label: string
}) {
  const [state, action, pending] = useActionState<IntegrationResult>(
    startOAuth.bind(null, tenant, connector, connection === undefined ? null : String(connection)),
    {},
  )
  return (
    <form action={action} style={{ display: 'inline' }}>
      <button type="submit" disabled={pending}>
        {label}
      </button>
      <ResultMessage result={state} />
    </form>
  )
}
