'use client'
/** Choosing the profile or page a social connection posts as, and adding it as an account. */
import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import type { ConnectionTargets } from '@lib/data/social'
import { addAccount, type SocialActionResult } from '@modules/social/actions'
import styles from '@modules/social/social.module.css'
import { useRouter } from 'next/navigation'
import { useState, useTransition } from 'react'

export function AddAccount({ tenant, row }: { tenant: string; row: ConnectionTargets }) {
  const router = useRouter()
  const open = row.targets.filter((t) => !t.account)
  const [target, setTarget] = useState(open[0] ? `${open[0].platform}:${open[0].id}` : '')
  const [result, setResult] = useState<SocialActionResult>({})
  const [pending, start] = useTransition()
  return (
    <form
      className={styles.inline}
      data-add-account={row.connection.id}
      onSubmit={(e) => {
        e.preventDefault()
        start(async () => {
          const res = await addAccount(tenant, row.connection.id, target)
          setResult(res)
          if (res.ok) router.refresh()
        })
      }}
    >
      <label>
        Post as
        <select value={target} onChange={(e) => setTarget(e.target.value)}>
          {open.map((t) => (
            <option key={`${t.platform}:${t.id}`} value={`${t.platform}:${t.id}`}>
              {PLATFORM_RULES[t.platform].name} · {t.name}
              {t.handle ? ` (${t.handle})` : ''} · {t.type}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={pending || !target}>
        Add account
      </button>
      {result.message && (
        <span className="ok" role="status">
          {result.message}
        </span>
      )}
      {result.error && (
        <span className="error" role="alert">
          {result.error}
        </span>
      )}
    </form>
  )
}
