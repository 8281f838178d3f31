/**
 * How the platform sends an email: through the tenant's own `smtp` connection when it has a connected
 * one, else through the platform mailer (`SMTP_URL` + `MAIL_FROM`). Used for the platform's own notices
 * to tenants (e.g. "reconnect your account"); the ops alerts to the platform admins keep ALERT_SMTP_URL.
 */
import nodemailer, { type Transporter } from 'nodemailer'
import type { Payload } from 'payload'
import { CONNECTION_CLIENT_KEY } from './constants.ts'
import { ConnectionError } from './define.ts'

export interface MailMessage {
  /** Send as this tenant: through its `smtp` connection when it has a connected one. */
  tenant?: string | number
  to: string[]
  subject: string
  text: string
  html?: string
  replyTo?: string
  headers?: Record<string, string>
}

export interface MailSent {
  messageId: string
  via: 'tenant-smtp' | 'platform'
}

/** What `sendMail` needs of the tenant's `smtp` client (the `smtp` connector's client has it). */
export interface TenantMailer {
  send(message: Omit<MailMessage, 'tenant'>): Promise<{ messageId: string }>
}

/**
 * The shape of `connectionClient` that `sendMail` uses. It is looked up on `payload.config.custom`
 * (CONNECTION_CLIENT_KEY, where the connectors plugin puts it) rather than imported, so the runtime that
 * notifies through `sendMail` and `sendMail` do not import each other.
 */
export type ConnectionClientLookup = (
  payload: Payload,
  options: { tenant: string | number; connector: 'smtp' },
) => Promise<TenantMailer>

/** Thrown when no mailer can send: the message names what to configure. Callers record it. */
export class MailNotConfiguredError extends Error {
  override name = 'MailNotConfiguredError'
}

/** The platform mailer's settings from the environment; undefined when SMTP_URL is not set. */
export function platformMailerSettings(
  env: Record<string, string | undefined> = process.env,
): { url: string; from: string } | undefined {
  const url = env.SMTP_URL?.trim()
  if (!url) return undefined
  if (!/^smtps?:\/\/[^/]+/.test(url))
    throw new MailNotConfiguredError('SMTP_URL must be an SMTP URL like smtp://user:password@mail.example.com:587')
  return { url, from: env.MAIL_FROM?.trim() || 'BizOSaaS <no-reply@localhost>' }
}

// One transport per URL: non-pooled, so it holds no socket between messages (nothing to close).
const transports = new Map<string, Transporter>()
const transportFor = (url: string) => {
  let transport = transports.get(url)
  if (!transport) {
    transport = nodemailer.createTransport(url)
    transports.set(url, transport)
  }
  return transport
}

// A connection that cannot be used (none, needs reconnecting, broken) falls back to the platform mailer:
// the notice that a tenant's SMTP connection needs reconnecting must still reach its admins.
const FALL_BACK: ReadonlySet<ConnectionError['code']> = new Set(['not-connected', 'needs-reconnect', 'error'])

async function tenantMailer(payload: Payload, tenant: string | number): Promise<TenantMailer | undefined> {
  const custom = payload.config.custom as Record<string, ConnectionClientLookup | undefined> | undefined
  const lookup = custom?.[CONNECTION_CLIENT_KEY]
  if (typeof lookup !== 'function') return undefined
  try {
    return await lookup(payload, { tenant, connector: 'smtp' })
  } catch (error) {
    if (error instanceof ConnectionError && FALL_BACK.has(error.code)) return undefined
    throw error
  }
}

/**
 * Sends one email: as the tenant through its `smtp` connection when it has one, else through the
 * platform mailer. Throws `MailNotConfiguredError` when neither exists, and the SMTP error when the
 * server refuses the message.
 */
export async function sendMail(payload: Payload, message: MailMessage): Promise<MailSent> {
  const { tenant, ...mail } = message
  if (mail.to.length === 0) throw new Error('sendMail needs at least one recipient')
  const own = tenant !== undefined && tenant !== '' ? await tenantMailer(payload, tenant) : undefined
  if (own) {
    const { messageId } = await own.send(mail)
    return { messageId, via: 'tenant-smtp' }
  }
  const platform = platformMailerSettings()
  if (!platform)
    throw new MailNotConfiguredError(
      `No mailer is configured: set SMTP_URL (and MAIL_FROM) for the platform${
        tenant ? `, or connect an SMTP account for tenant ${tenant}` : ''
      }`,
    )
  const info = await transportFor(platform.url).sendMail({ from: platform.from, ...mail })
  return { messageId: info.messageId, via: 'platform' }
}
