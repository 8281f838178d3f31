/**
 * A webhook receiver for tests: real HTTP on a free port that records every POST, verifies its
 * Standard Webhooks signature with the `standardwebhooks` package (when given the secret), and can be
 * told to fail the next n requests with a status.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

export interface ReceivedWebhook {
  /** The `webhook-id` header (the event id: the same on every attempt). */
  id: string | undefined
  headers: IncomingHttpHeaders
  body: string
  /** The parsed JSON body (undefined when it was not JSON). */
  json: unknown
  /** True when the signature verified with the receiver's secret; false without a secret or when it did not. */
  verified: boolean
  /** The status the receiver answered. */
  status: number
  at: Date
}

export interface WebhookReceiver {
  url: string
  received: ReceivedWebhook[]
  /** The secret signatures are checked with (may be set after the endpoint was created). */
  secret: string | undefined
  /** The next `n` requests answer `status` (default 500) instead of 200. */
  failNext(n: number, status?: number): void
  /** The next `n` requests are answered only after `ms` (a receiver that hangs). */
  slowNext(n: number, ms: number): void
  /** Resolves once `count` requests (all in total) have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>
  close(): Promise<void>
}

/** Starts a receiver on 127.0.0.1 (a free port unless `port` is given). */
export async function startWebhookReceiver(
  options: { secret?: string; path?: string /** @default 0 (a free port) */; port?: number } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  let failures: { left: number; status: number } = { left: 0, status: 500 }
  let slow = { left: 0, ms: 0 }
  const waiters: (() => void)[] = []
  const receiver: WebhookReceiver = {
    url: '',
    received,
    secret: options.secret,
    failNext(n, status = 500) {
      failures = { left: n, status }
    },
    slowNext(n, ms) {
      slow = { left: n, ms }
    },
    waitFor(count, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length >= count) {
            clearTimeout(timer)
            resolve(received)
            return true
          }
          return false
        }
        const timer = setTimeout(
          () => reject(new Error(`waited ${timeoutMs} ms for ${count} webhooks; got ${received.length}`)),
          timeoutMs,
        )
        const waiter = () => {
          if (!check()) waiters.push(waiter)
        }
        waiter()
      })
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let verified = false
      if (receiver.secret)
        try {
          new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>)
          verified = true
        } catch {
          verified = false
        }
      let json: unknown
      try {
        json = JSON.parse(body)
      } catch {
        json = undefined
      }
      const status = failures.left > 0 ? failures.status : 200
      if (failures.left > 0) failures.left--
      received.push({
        id: req.headers['webhook-id'] as string | undefined,
        headers: req.headers,
        body,
        json,
        verified,
        status,
        at: new Date(),
      })
      for (const wake of waiters.splice(0)) wake()
      const answer = () => {
        if (res.destroyed) return
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(status < 300 ? { ok: true } : { error: 'receiver told to fail' }))
      }
      if (slow.left > 0) {
        slow.left--
        setTimeout(answer, slow.ms).unref()
      } else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.path ?? '/webhooks'}`
  return receiver
}
