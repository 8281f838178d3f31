/**
 * The `smtp` connector: a tenant's own mail server (an app password at Gmail, Microsoft 365, Fastmail or
 * any SMTP host). Its client sends through a pooled nodemailer transport, cached per connection and
 * closed when idle; its test logs in (`verify`) and says in words why it could not.
 */
import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import nodemailer, { type Transporter } from 'nodemailer'
import { z } from 'zod'
import { type ConnectionTestResult, defineConnector } from '../define.ts'

/** A host where unencrypted SMTP is allowed: this machine, or a name without dots (a dev container like `mailpit`). */
export const isLocalMailHost = (host: string): boolean => {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || (!h.includes('.') && isIP(h) === 0)
}

export const smtpCredentials = z
  .object({
    host: z
      .string()
      .trim()
      .min(1, 'Enter the mail server, like smtp.gmail.com')
      .describe('The SMTP server of your mail provider, like smtp.gmail.com or smtp.office365.com'),
    port: z.coerce
      .number()
      .int('The port is a whole number')
      .min(1, 'The port is between 1 and 65535')
      .max(65535, 'The port is between 1 and 65535')
      .default(587)
      .describe('The SMTP port: 587 with STARTTLS (most providers), 465 with TLS'),
    security: z
      .enum(['starttls', 'tls', 'none'])
      .default('starttls')
      .describe(
        'How the connection is encrypted: starttls (port 587), tls (port 465), or none — only for a test server on this machine or a development container, since the password would cross the network in clear text',
      ),
    username: z
      .string()
      .min(1, 'Enter the username (usually your email address)')
      .describe('The login at the mail server, usually your full email address'),
    password: z
      .string()
      .min(1, 'Enter the password')
      .describe(
        'The password or app password (Gmail and Microsoft 365 need an app password when 2-step sign-in is on)',
      ),
    fromName: z.string().trim().max(100).optional().describe('The sender name people see, like "Acme Support"'),
    fromAddress: z
      .email('Enter the address emails are sent from, like support@example.com')
      .describe('The address emails are sent from; your provider must allow it for this login'),
  })
  .refine((c) => c.security !== 'none' || isLocalMailHost(c.host), {
    path: ['security'],
    message:
      'Unencrypted SMTP is only allowed for a server on this machine or a development container (localhost, 127.0.0.1, or a name without dots like mailpit); choose starttls or tls so the password is not sent in clear text',
  })

export type SmtpCredentials = z.infer<typeof smtpCredentials>

export interface SmtpAttachment {
  filename: string
  content: string | Buffer
  contentType?: string
}

/** One email; `from` defaults to the connection's sender. */
export interface SmtpMessage {
  to: string | string[]
  cc?: string | string[]
  bcc?: string | string[]
  subject: string
  text?: string
  html?: string
  replyTo?: string
  headers?: Record<string, string>
  from?: string
  attachments?: SmtpAttachment[]
}

export interface SmtpSent {
  messageId: string
  accepted: string[]
  rejected: string[]
}

export interface SmtpClient {
  /** The connection's sender, `"Name" <address>` or the address. */
  readonly from: string
  send(message: SmtpMessage): Promise<SmtpSent>
  /** Connects and logs in without sending; throws nodemailer's error. */
  verify(): Promise<void>
}

declare module '../define.ts' {
  interface ConnectorClients {
    smtp: SmtpClient
  }
}

/** How long an unused pooled transport stays open. */
export const SMTP_IDLE_MS = 60_000

interface CachedTransport {
  transport: Transporter
  timer?: NodeJS.Timeout
}

// Keyed by connection and a digest of its credentials, so a changed password gets a new transport.
const transports = new Map<string, CachedTransport>()

function transportOptions(c: SmtpCredentials) {
  return {
    pool: true,
    maxConnections: 2,
    host: c.host,
    port: c.port,
    secure: c.security === 'tls',
    requireTLS: c.security === 'starttls',
    ignoreTLS: c.security === 'none',
    auth: { user: c.username, pass: c.password },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  }
}

function transportFor(connectionId: string, credentials: SmtpCredentials): CachedTransport {
  const digest = createHash('sha256').update(JSON.stringify(credentials)).digest('base64url')
  const key = `${connectionId}:${digest}`
  let cached = transports.get(key)
  if (!cached) {
    for (const [other, entry] of transports)
      if (other.startsWith(`${connectionId}:`)) {
        clearTimeout(entry.timer)
        entry.transport.close()
        transports.delete(other)
      }
    cached = { transport: nodemailer.createTransport(transportOptions(credentials)) }
    transports.set(key, cached)
  }
  const entry = cached
  clearTimeout(entry.timer)
  entry.timer = setTimeout(() => {
    entry.transport.close()
    transports.delete(key)
  }, SMTP_IDLE_MS)
  entry.timer.unref()
  return entry
}

/** Closes every cached transport (tests, shutdown). */
export function closeSmtpTransports(): void {
  for (const [key, entry] of transports) {
    clearTimeout(entry.timer)
    entry.transport.close()
    transports.delete(key)
  }
}

const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v])
const addresses = (v: unknown[] | undefined) =>
  (v ?? []).map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address ?? a)))

/** The client over a connection's credentials (no network until the first send or verify). */
export function smtpClient(connectionId: string, credentials: SmtpCredentials): SmtpClient {
  const from = credentials.fromName
    ? `"${credentials.fromName.replace(/["\\]/g, '')}" <${credentials.fromAddress}>`
    : credentials.fromAddress
  return {
    from,
    async send(message) {
      const { transport } = transportFor(connectionId, credentials)
      const info = await transport.sendMail({
        ...message,
        from: message.from ?? from,
        to: list(message.to),
        cc: list(message.cc),
        bcc: list(message.bcc),
      })
      return { messageId: info.messageId, accepted: addresses(info.accepted), rejected: addresses(info.rejected) }
    },
    async verify() {
      // A fresh, unpooled transport: the test must log in now, not reuse a session that logged in earlier.
      const transport = nodemailer.createTransport({ ...transportOptions(credentials), pool: false })
      try {
        await transport.verify()
      } finally {
        transport.close()
      }
    },
  }
}

/** Words a person can act on for a failed login or send; never includes the password. */
export function describeSmtpError(error: unknown, c: Pick<SmtpCredentials, 'host' | 'port'>): ConnectionTestResult {
  const e = error as { code?: string; responseCode?: number; message?: string; response?: string }
  const where = `${c.host}:${c.port}`
  const text = `${e.message ?? ''} ${e.response ?? ''}`
  if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534)
    return { ok: false, reconnect: true, message: 'The server refused the username or password' }
  if (e.code === 'ENOAUTH') return { ok: false, message: 'The server asked for a login and none was given' }
  if (e.code === 'ETLS' || /certificate|SSL|TLS|wrong version number|self[- ]signed/i.test(text)) {
    const reason = /wrong version number|packet length too long/i.test(text)
      ? 'the server does not speak TLS on this port'
      : /STARTTLS/i.test(text)
        ? 'the server does not offer STARTTLS'
        : /certificate|self[- ]signed|CERT_/i.test(text)
          ? `its certificate was not accepted: ${(e.message ?? '').trim()}`
          : (e.message ?? 'the handshake failed').trim()
    return {
      ok: false,
      message: `TLS with ${where} failed: ${reason}. Check the security setting: port 465 usually needs "tls", port 587 "starttls"`,
    }
  }
  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(text))
    return { ok: false, message: `Could not reach ${where}: the name ${c.host} does not resolve` }
  if (e.code === 'ETIMEDOUT' || /ETIMEDOUT|timed? ?out/i.test(text))
    return { ok: false, message: `Could not reach ${where}: no answer in time` }
  if (/ECONNREFUSED/.test(text) || e.code === 'ECONNREFUSED')
    return { ok: false, message: `Could not reach ${where}: the connection was refused` }
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || /ECONNRESET|closed/i.test(text))
    return { ok: false, message: `Could not reach ${where}: the connection closed before the server answered` }
  return { ok: false, message: `The mail server ${where} answered: ${(e.message ?? 'unknown error').trim()}` }
}

export const smtpConnector = defineConnector<'smtp', SmtpCredentials, SmtpClient>({
  id: 'smtp',
  name: 'Email (SMTP)',
  description: "Send email from your own address through your mail provider's SMTP server.",
  category: 'email',
  auth: { type: 'credentials', kind: 'app-password', schema: smtpCredentials, secretFields: ['password'] },
  docsUrl: 'https://support.google.com/accounts/answer/185833',
  client: (ctx) => smtpClient(ctx.connection.id, ctx.credentials),
  async test(client, ctx) {
    try {
      await client.verify()
      return {
        ok: true,
        message: `Logged in to ${ctx.credentials.host}:${ctx.credentials.port} as ${ctx.credentials.username}`,
        account: ctx.credentials.fromAddress,
      }
    } catch (error) {
      return describeSmtpError(error, ctx.credentials)
    }
  },
})
