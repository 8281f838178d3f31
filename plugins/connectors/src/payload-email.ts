/**
 * Payload's own emails (forgot password, account verification) through the platform mailer: an email
 * adapter over `sendMail` without a tenant, so they leave by `SMTP_URL` as `MAIL_FROM`. The CMS installs
 * it when SMTP_URL is set; without it Payload writes emails to its log, as before.
 */
import type { EmailAdapter } from 'payload'
import { platformMailerSettings, sendMail } from './mail.ts'

/** Recipients as nodemailer takes them (a string list, addresses, nested arrays) → plain addresses. */
const addressesOf = (value: unknown): string[] => {
  if (!value) return []
  if (Array.isArray(value)) return value.flatMap(addressesOf)
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  const address = (value as { address?: unknown }).address
  return typeof address === 'string' ? [address] : []
}

/** `"Name" <address>` or `address` → its parts. */
export function parseFrom(from: string): { name: string; address: string } {
  const match = from.match(/^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/)
  return match ? { name: match[1]!.trim(), address: match[2]!.trim() } : { name: '', address: from.trim() }
}

/** Payload's email adapter over the platform mailer (`SMTP_URL`, `MAIL_FROM`). */
export const platformEmailAdapter =
  (): EmailAdapter<{ messageId: string }> =>
  ({ payload }) => {
    const from = parseFrom(platformMailerSettings()?.from ?? 'BizOSaaS <no-reply@localhost>')
    return {
      name: 'bizosaas-platform-mailer',
      defaultFromAddress: from.address,
      defaultFromName: from.name,
      async sendEmail(message) {
        const html = typeof message.html === 'string' ? message.html : undefined
        const text =
          typeof message.text === 'string'
            ? message.text
            : (html ?? '')
                .replace(/<[^>]+>/g, ' ')
                .replace(/\s+/g, ' ')
                .trim()
        const { messageId } = await sendMail(payload, {
          to: addressesOf(message.to),
          subject: typeof message.subject === 'string' ? message.subject : '',
          text,
          html,
          replyTo: addressesOf(message.replyTo)[0],
        })
        return { messageId }
      },
    }
  }
