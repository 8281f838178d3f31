/**
 * Where alert notices go: an email to the platform admins through SMTP (nodemailer), and/or a JSON POST
 * to a webhook, signed with HMAC-SHA256 of the body when a secret is set. Throws when a configured
 * channel fails, so the caller keeps the notice pending and sends it on the next check.
 */
import { createHmac } from 'node:crypto'
import nodemailer from 'nodemailer'
import type { AlertSettings } from './settings.ts'

export interface IncidentNotice {
  event: 'opened' | 'resolved'
  id: number
  key: string
  kind: string
  summary: string
  details: Record<string, unknown>
  openedAt: string
  resolvedAt: string | null
}

export const SIGNATURE_HEADER = 'x-bizosaas-signature'

/** The signature header's value for `body`. */
export const signBody = (body: string, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

function emailText(notices: IncidentNotice[]): { subject: string; text: string } {
  const opened = notices.filter((n) => n.event === 'opened')
  const resolved = notices.filter((n) => n.event === 'resolved')
  const subject =
    opened.length > 0
      ? `[BizOSaaS] ${opened.length === 1 ? opened[0]!.summary : `${opened.length} new incidents`}`
      : `[BizOSaaS] resolved: ${resolved.length === 1 ? resolved[0]!.summary : `${resolved.length} incidents`}`
  const line = (n: IncidentNotice) =>
    `- ${n.summary}\n  key: ${n.key}; opened ${n.openedAt}${n.resolvedAt ? `; resolved ${n.resolvedAt}` : ''}`
  const text = [
    opened.length ? `New incidents:\n${opened.map(line).join('\n')}` : '',
    resolved.length ? `Resolved:\n${resolved.map(line).join('\n')}` : '',
    'Run `pnpm status` on the platform for the whole picture.',
  ]
    .filter(Boolean)
    .join('\n\n')
  return { subject, text }
}

/** Sends `notices` through every configured channel; resolves when each accepted them. */
export async function sendNotices(
  notices: IncidentNotice[],
  recipients: string[],
  settings: AlertSettings,
): Promise<{ emailed: number; posted: boolean }> {
  if (notices.length === 0) return { emailed: 0, posted: false }
  let emailed = 0
  let posted = false
  if (settings.smtpUrl && recipients.length > 0) {
    const transport = nodemailer.createTransport(settings.smtpUrl)
    try {
      await transport.sendMail({ from: settings.from, to: recipients, ...emailText(notices) })
      emailed = recipients.length
    } finally {
      transport.close()
    }
  }
  if (settings.webhookUrl) {
    const body = JSON.stringify({ source: 'bizosaas', notices })
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (settings.webhookSecret) headers[SIGNATURE_HEADER] = signBody(body, settings.webhookSecret)
    const res = await fetch(settings.webhookUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    })
    await res.body?.cancel()
    if (!res.ok) throw new Error(`alert webhook answered ${res.status}`)
    posted = true
  }
  return { emailed, posted }
}
