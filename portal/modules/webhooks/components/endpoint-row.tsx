'use client'
import type { WebhookEndpoint } from '@lib/data/webhooks'
import {
  removeWebhookEndpoint,
  rotateWebhookEndpointSecret,
  testWebhookEndpoint,
  toggleWebhookEndpoint,
  type WebhookResult,
} from '@modules/webhooks/actions'
import { useState, useTransition } from 'react'
import { SecretOnce } from './secret-once'

export function EndpointRow({
  tenant,
  endpoint: e,
  canChange,
}: {
  tenant: string
  endpoint: WebhookEndpoint
  canChange: boolean
}) {
  const [result, setResult] = useState<WebhookResult>({})
  const [pending, start] = useTransition()
  const run = (act: () => Promise<WebhookResult>) => start(async () => setResult(await act()))
  const id = String(e.id)
  return (
    <tr data-webhook-endpoint={e.id}>
      <td>
        <code>{e.url}</code>
        {e.description && <div>{e.description}</div>}
      </td>
      <td>{e.events.join(', ')}</td>
      <td>
        {e.enabled ? <span className="ok">enabled</span> : <span className="error">disabled</span>}
        {e.disabledReason && <div className="error">{e.disabledReason}</div>}
        {!!e.failureCount && <div>{e.failureCount} failed in a row</div>}
        {result.message && (
          <div className="ok" role="status">
            {result.message}
          </div>
        )}
        {result.secret && <SecretOnce secret={result.secret} />}
        {result.error && (
          <div className="error" role="alert">
            {result.error}
          </div>
        )}
      </td>
      <td>
        {canChange && (
          <>
            <button
              type="button"
              className="secondary"
              disabled={pending || !e.enabled}
              onClick={() => run(() => testWebhookEndpoint(tenant, id))}
            >
              Send test
            </button>{' '}
            <button
              type="button"
              className="secondary"
              disabled={pending}
              onClick={() => run(() => toggleWebhookEndpoint(tenant, id, !e.enabled))}
            >
              {e.enabled ? 'Disable' : 'Enable'}
            </button>{' '}
            <button
              type="button"
              className="secondary"
              disabled={pending}
              onClick={() => run(() => rotateWebhookEndpointSecret(tenant, id))}
            >
              Rotate secret
            </button>{' '}
            <button
              type="button"
              className="danger"
              disabled={pending}
              onClick={() => run(() => removeWebhookEndpoint(tenant, id))}
            >
              Remove
            </button>
          </>
        )}
      </td>
    </tr>
  )
}
