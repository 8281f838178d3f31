'use client'
import type { Integration } from '@lib/data/integrations'
import { type IntegrationResult, removeIntegration, runConnectionTest } from '@modules/integrations/actions'
import { useState, useTransition } from 'react'

export function IntegrationRow({ tenant, integration: i }: { tenant: string; integration: Integration }) {
  const [result, setResult] = useState<IntegrationResult>({})
  const [pending, start] = useTransition()
  return (
    <tr data-integration={i.id}>
      <td>{i.name}</td>
      <td>{i.provider}</td>
      <td>
        <code>{i.secretHint}</code> <small>key {i.keyId}</small>
      </td>
      <td>
        {i.lastTest?.checkedAt ? (
          <span className={i.lastTest.ok ? 'ok' : 'error'}>{i.lastTest.message}</span>
        ) : (
          'not tested'
        )}
        {result.message && (
          <div className="ok" role="status">
            {result.message}
          </div>
        )}
        {result.error && (
          <div className="error" role="alert">
            {result.error}
          </div>
        )}
      </td>
      <td>
        <button
          type="button"
          className="secondary"
          disabled={pending}
          onClick={() => start(async () => setResult(await runConnectionTest(tenant, String(i.id))))}
        >
          Test connection
        </button>{' '}
        <button
          type="button"
          className="danger"
          disabled={pending}
          onClick={() => start(async () => setResult(await removeIntegration(tenant, String(i.id))))}
        >
          Remove
        </button>
      </td>
    </tr>
  )
}
