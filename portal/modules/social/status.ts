/** How a post or variant status reads and looks in the portal (label, colour), one place for every view. */
import type { VariantStatus } from '@bizosaas/contracts/social'

export const STATUS_LABEL: Record<VariantStatus, string> = {
  draft: 'Draft',
  'awaiting-approval': 'Awaiting approval',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  published: 'Published',
  failed: 'Failed',
  unconfirmed: 'Unconfirmed',
}

/** Background colours with enough contrast for dark text. */
export const STATUS_COLOUR: Record<VariantStatus, string> = {
  draft: '#e5e7eb',
  'awaiting-approval': '#fef3c7',
  scheduled: '#dbeafe',
  publishing: '#e0e7ff',
  published: '#dcfce7',
  failed: '#fee2e2',
  unconfirmed: '#fed7aa',
}

/** `2026-12-08T09:30:00.000Z` → `09:30` (calendar times are UTC). */
export const timeOf = (iso: string | null) => (iso ? iso.slice(11, 16) : '')
/** `2026-12-08T09:30:00.000Z` → `2026-12-08 09:30 UTC`. */
export const whenOf = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'not scheduled')
