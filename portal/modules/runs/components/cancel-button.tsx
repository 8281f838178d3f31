'use client'
import { cancelRunAction } from '@modules/runs/actions'
import { useRouter } from 'next/navigation'
import { useState, useTransition } from 'react'

/** Cancels a queued or running run; the live status below shows it end as `cancelled`. */
export function CancelButton({ tenant, id }: { tenant: string; id: string }) {
  const router = useRouter()
  const [error, setError] = useState<string>()
  const [pending, start] = useTransition()
  return (
    <>
      <button
        type="button"
        className="danger"
        data-cancel-run
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await cancelRunAction(tenant, id)
            setError(result.error)
            if (!result.error) router.refresh()
          })
        }
      >
        {pending ? 'Cancelling…' : 'Cancel run'}
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
