/**
 * The one-shot message the integrations page shows after the OAuth callback (a short-lived http-only
 * cookie, so the provider's text never travels in a URL anyone could forge), and the cookie that
 * remembers which tenant a flow was started for.
 */
import { z } from 'zod'

export const FLASH_COOKIE = 'portal-connectors-flash'
export const OAUTH_TENANT_COOKIE = 'portal-oauth-tenant'

const flashSchema = z.object({ ok: z.boolean(), message: z.string().max(600) })
export type Flash = z.infer<typeof flashSchema>

export const encodeFlash = (flash: Flash) => Buffer.from(JSON.stringify(flash)).toString('base64url')

export function decodeFlash(value: string | undefined): Flash | null {
  if (!value) return null
  try {
    const parsed = flashSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
