'use client'
import { retryRun } from '@modules/runs/actions'
import { useState, useTransition } from 'react'

export function RetryButton({ tenant, id }: { tenant: string; id: string }) {
  const [error, setError] = useState<string>()
  const [pending, start] = useTransition()
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() => start(async () => setError((await retryRun(tenant, id))?.error))}
      >
        Retry
      </button>
      {error && (
        <span className="error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </>
  )
}
