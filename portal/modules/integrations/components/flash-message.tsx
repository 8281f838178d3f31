/**
 * The OAuth callback's outcome. The cookie that carries it lives 20 seconds on this page's path only, so
 * it shows on the page the callback returns to and not later (clearing it from the page would re-render
 * the page at once, and the message would vanish before it is read).
 */
import type { Flash } from '@modules/integrations/flash'

export function FlashMessage({ flash }: { flash: Flash }) {
  return (
    <p className={flash.ok ? 'ok' : 'error'} role={flash.ok ? 'status' : 'alert'} data-oauth-outcome>
      {flash.message}
    </p>
  )
}
