'use client'
/** The tenant's own OAuth app for a connector: client id and secret (write-only), or remove it. */
import { type IntegrationResult, removeOwnAppAction, saveOwnAppAction } from '@modules/integrations/actions'
import { useActionState, useState, useTransition } from 'react'
import { ResultMessage } from './result-message'

export function OwnAppForm({
  tenant,
  connector,
  current,
  redirectUri,
}: {
  tenant: string
  connector: string
  current: { clientId: string; secretHint: string | null } | null
  redirectUri: string
}) {
  const [state, action, pending] = useActionState<IntegrationResult, FormData>(
    saveOwnAppAction.bind(null, tenant, connector),
    {},
  )
  const [removed, setRemoved] = useState<IntegrationResult>({})
  const [removing, start] = useTransition()
  return (
    <details data-own-app={connector}>
      <summary>{current ? `Using your own app (${current.clientId})` : 'Use our own OAuth app'}</summary>
      <p className="note">
        Register this redirect URI in your app: <code>{redirectUri}</code>
      </p>
      <form action={action}>
        <fieldset disabled={pending} style={{ border: 0, padding: 0 }}>
          <label>
            Client id <input name="clientId" required defaultValue={state.values?.clientId ?? current?.clientId} />
          </label>
          <label>
            Client secret{' '}
            <input
              name="clientSecret"
              type="password"
              autoComplete="off"
              required
              placeholder={current?.secretHint ? `stored (${current.secretHint}); enter it again to change` : ''}
            />
          </label>
          <button type="submit">Save app</button>{' '}
          {current && (
            <button
              type="button"
              className="secondary"
              disabled={removing}
              onClick={() => start(async () => setRemoved(await removeOwnAppAction(tenant, connector)))}
            >
              Remove app
            </button>
          )}
        </fieldset>
        <ResultMessage result={state} />
        <ResultMessage result={removed} />
      </form>
    </details>
  )
}
