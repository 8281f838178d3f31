'use client'
/** The OAuth callback's outcome, shown once: the cookie that carried it is cleared after it is shown. */
import { clearFlash } from '@modules/integrations/actions'
import type { Flash } from '@modules/integrations/flash'
import { useEffect } from 'react'

export function FlashMessage({ flash }: { flash: Flash }) {
  useEffect(() => {
    void clearFlash()
  }, [])
  return (
    <p className={flash.ok ? 'ok' : 'error'} role={flash.ok ? 'status' : 'alert'} data-oauth-outcome>
      {flash.message}
    </p>
  )
}
