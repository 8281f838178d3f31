/**
 * A real SMTP server for tests (smtp-server on a free port), keeping every message it receives parsed
 * by mailparser, with faults to inject: refuse the login, refuse recipients, drop the connection. Tests
 * point the `smtp` connector, the platform mailer (`SMTP_URL`) or any nodemailer transport at `url`.
 */
import type { Socket } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'

/** A received message: mailparser's result plus the SMTP envelope and the user who logged in. */
export interface ParsedMessage extends ParsedMail {
  envelope: { from: string; to: string[] }
  /** The username the client logged in with; undefined without AUTH. */
  user?: string
  /** The message as it came over the wire. */
  raw: string
}

/** Faults to inject; change them on `capture.faults` between sends. */
export interface SmtpCaptureFaults {
  /** Refuse every login with 535 (as a server does for a wrong password). */
  rejectAuth?: boolean
  /** Refuse these recipients with 550 (every recipient when `true`). */
  rejectRecipients?: boolean | readonly (string | RegExp)[]
  /** Close the socket without an answer: on connect (before the greeting), or when the message data arrives. */
  dropConnection?: false | 'connect' | 'data'
}

export interface SmtpCaptureOptions {
  /** @default a free port */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Require a login with these credentials (AUTH PLAIN/LOGIN); without it any client may send. */
  auth?: { username: string; password: string }
  /**
   * Offer STARTTLS with smtp-server's built-in self-signed certificate (clients that check certificates
   * refuse it, which is how tests see a TLS error). @default false
   */
  starttls?: boolean
  faults?: SmtpCaptureFaults
}

export interface SmtpCapture {
  /** `smtp://[user:pass@]host:port` — ready for nodemailer or `SMTP_URL`. */
  url: string
  host: string
  port: number
  /** Every message received, in order. */
  messages: ParsedMessage[]
  /** Mutable: the faults applied to the next commands. */
  faults: SmtpCaptureFaults
  /** Resolves with the first message (already received or arriving) matching `predicate`. */
  waitFor(predicate?: (message: ParsedMessage) => boolean, timeoutMs?: number): Promise<ParsedMessage>
  close(): Promise<void>
}

const smtpError = (message: string, responseCode: number): Error => Object.assign(new Error(message), { responseCode })

const matches = (address: string, rule: boolean | readonly (string | RegExp)[] | undefined): boolean =>
  rule === true ||
  (Array.isArray(rule) &&
    rule.some((r) => (typeof r === 'string' ? r.toLowerCase() === address.toLowerCase() : r.test(address))))

/** Starts the server; resolves once it listens. */
export async function startSmtpCapture(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const host = options.host ?? '127.0.0.1'
  const messages: ParsedMessage[] = []
  const faults: SmtpCaptureFaults = { ...options.faults }
  const waiters = new Set<{ predicate: (m: ParsedMessage) => boolean; resolve: (m: ParsedMessage) => void }>()
  const sockets = new Set<Socket>()
  const socketOf = (port: number) => [...sockets].find((s) => s.remotePort === port)

  const config: SMTPServerOptions = {
    authOptional: !options.auth,
    allowInsecureAuth: true,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    closeTimeout: 100,
    logger: false,
    onConnect(session, callback) {
      if (faults.dropConnection === 'connect') {
        socketOf(session.remotePort)?.destroy()
        return
      }
      callback()
    },
    onAuth(auth, _session, callback) {
      const expected = options.auth
      if (faults.rejectAuth || !expected || auth.username !== expected.username || auth.password !== expected.password)
        return callback(smtpError('Authentication credentials invalid', 535))
      callback(null, { user: auth.username })
    },
    onRcptTo(address, _session, callback) {
      if (matches(address.address, faults.rejectRecipients))
        return callback(smtpError(`Mailbox ${address.address} unavailable`, 550))
      callback()
    },
    onData(stream, session, callback) {
      if (faults.dropConnection === 'data') {
        stream.resume()
        socketOf(session.remotePort)?.destroy()
        return
      }
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        try {
          const parsed = await simpleParser(raw)
          const mailFrom = session.envelope.mailFrom
          const message: ParsedMessage = Object.assign(parsed, {
            envelope: {
              from: mailFrom ? mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            user: typeof session.user === 'string' ? session.user : undefined,
            raw,
          })
          messages.push(message)
          for (const waiter of waiters)
            if (waiter.predicate(message)) {
              waiters.delete(waiter)
              waiter.resolve(message)
            }
          callback()
        } catch (error) {
          callback(smtpError(`Could not parse the message: ${(error as Error).message}`, 554))
        }
      })
    },
  }
  const server = new SMTPServer(config)
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('error', () => {
    // A dropped or reset client connection; the test sees it on the client side.
  })
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const address = server.server.address()
  if (!address || typeof address === 'string') throw new Error('The SMTP capture server did not bind a port')
  const port = address.port
  const login = options.auth
    ? `${encodeURIComponent(options.auth.username)}:${encodeURIComponent(options.auth.password)}@`
    : ''

  return {
    url: `smtp://${login}${host}:${port}`,
    host,
    port,
    messages,
    faults,
    waitFor(predicate = () => true, timeoutMs = 10_000) {
      const found = messages.find(predicate)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (m: ParsedMessage) => {
            clearTimeout(timer)
            resolve(m)
          },
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`No matching message within ${timeoutMs} ms (${messages.length} received)`))
        }, timeoutMs)
        waiters.add(waiter)
      })
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
