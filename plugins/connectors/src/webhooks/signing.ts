/**
 * Signing by the Standard Webhooks scheme (https://www.standardwebhooks.com) with the `standardwebhooks`
 * package: `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`. Secrets are `whsec_` + base64 of 32 random bytes, as the package expects.
 */
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

/** A new signing secret (32 random bytes). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/** The three signature headers for `body`, sent as `id` at `timestamp`. */
export function signatureHeaders(secret: string, id: string, timestamp: Date, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  }
}
