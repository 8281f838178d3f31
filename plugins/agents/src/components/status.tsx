'use client'
import type React from 'react'

const TONE: Record<string, { bg: string; fg: string }> = {
  queued: { bg: 'var(--theme-elevation-100)', fg: 'var(--theme-elevation-800)' },
  running: { bg: 'var(--theme-warning-100)', fg: 'var(--theme-warning-800)' },
  'awaiting-approval': { bg: 'var(--theme-warning-100)', fg: 'var(--theme-warning-800)' },
  pending: { bg: 'var(--theme-warning-100)', fg: 'var(--theme-warning-800)' },
  approved: { bg: 'var(--theme-success-100)', fg: 'var(--theme-success-800)' },
  succeeded: { bg: 'var(--theme-success-100)', fg: 'var(--theme-success-800)' },
  applied: { bg: 'var(--theme-success-100)', fg: 'var(--theme-success-800)' },
  failed: { bg: 'var(--theme-error-100)', fg: 'var(--theme-error-800)' },
  rejected: { bg: 'var(--theme-error-100)', fg: 'var(--theme-error-800)' },
  expired: { bg: 'var(--theme-elevation-100)', fg: 'var(--theme-elevation-600)' },
  cancelled: { bg: 'var(--theme-elevation-100)', fg: 'var(--theme-elevation-600)' },
}

/** A run's or approval's status as a coloured pill. */
export function StatusBadge({ status }: { status?: string | null }): React.ReactElement {
  const tone = TONE[status ?? ''] ?? TONE.queued!
  return (
    <span
      data-status={status ?? ''}
      style={{
        background: tone.bg,
        color: tone.fg,
        borderRadius: 999,
        padding: '2px 10px',
        fontSize: 12,
        fontWeight: 600,
        whiteSpace: 'nowrap',
      }}
    >
      {status ? status.replace(/-/g, ' ') : 'unknown'}
    </span>
  )
}
