'use client'
/**
 * An unconfirmed variant's way out: Check (ask the platform whether the post is there), Confirm it was
 * posted (a person saw it), or Republish — only after ticking "I checked it is not there", since
 * publishing again when it did go out would post it twice.
 */
import { type SocialActionResult, variantAction } from '@modules/social/actions'
import styles from '@modules/social/social.module.css'
import { useRouter } from 'next/navigation'
import { useState, useTransition } from 'react'

export function VariantActions({
  tenant,
  variant,
  platform,
  status,
}: {
  tenant: string
  variant: string
  platform: string
  status: 'unconfirmed' | 'failed'
}) {
  const router = useRouter()
  const [checked, setChecked] = useState(false)
  const [url, setUrl] = useState('')
  const unconfirmed = status === 'unconfirmed'
  const [result, setResult] = useState<SocialActionResult>({})
  const [pending, start] = useTransition()
  const run = (action: 'check' | 'confirm' | 'republish') =>
    start(async () => {
      const res = await variantAction(tenant, variant, action, { confirmedAbsent: checked, url, unconfirmed })
      setResult(res)
      if (res.ok) router.refresh()
    })
  return (
    <div data-variant-actions>
      {unconfirmed && (
        <>
          <p className="note">
            It is not known whether this reached {platform} (the answer did not come back). Check before anything else.
          </p>
          <button type="button" disabled={pending} onClick={() => run('check')}>
            Check on {platform}
          </button>
          <div className={styles.inline}>
            <label>
              Its address on {platform} (optional)
              <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
            </label>
            <button type="button" className="secondary" disabled={pending} onClick={() => run('confirm')}>
              Confirm it was posted
            </button>
          </div>
          <label>
            <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} /> I checked{' '}
            {platform}: the post is not there
          </label>
        </>
      )}
      <button
        type="button"
        className="danger"
        disabled={pending || (unconfirmed && !checked)}
        onClick={() => run('republish')}
      >
        Republish
      </button>
      {result.message && (
        <p className="ok" role="status">
          {result.message}
        </p>
      )}
      {result.error && (
        <p className="error" role="alert">
          {result.error}
        </p>
      )}
    </div>
  )
}
