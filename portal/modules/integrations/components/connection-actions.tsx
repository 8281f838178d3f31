'use client'
/** Test and disconnect one connection; disconnecting asks once more before it revokes and removes. */
import { disconnectConnectorAction, type IntegrationResult, testConnectorAction } from '@modules/integrations/actions'
import { useState, useTransition } from 'react'
import { ResultMessage } from './result-message'

export function ConnectionActions({ tenant, id, name }: { tenant: string; id: number; name: string }) {
  const [result, setResult] = useState<IntegrationResult>({})
  const [confirming, setConfirming] = useState(false)
  const [pending, start] = useTransition()
  return (
    <div data-connection-actions>
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() => start(async () => setResult(await testConnectorAction(tenant, String(id))))}
      >
        Test
      </button>{' '}
      {confirming ? (
        <span data-confirm-disconnect>
          Disconnect “{name}”? Agents using it stop working.{' '}
          <button
            type="button"
            className="danger"
            disabled={pending}
            onClick={() =>
              start(async () => {
                setResult(await disconnectConnectorAction(tenant, String(id)))
                setConfirming(false)
              })
            }
          >
            Yes, disconnect
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="danger" disabled={pending} onClick={() => setConfirming(true)}>
          Disconnect
        </button>
      )}
      <ResultMessage result={result} />
    </div>
  )
}
