/**
 * One delivery attempt: POST the event, signed, to the endpoint (SSRF-guarded, with a timeout), and
 * record what happened on the delivery row. 2xx succeeds; anything else throws so pg-boss retries with
 * backoff, until the last attempt marks the row failed and counts a failure on the endpoint (which is
 * disabled after `disableAfterFailures` in a row). The same `webhook-id` (the event id) goes on every attempt.
 */
import http from 'node:http'
import https from 'node:https'
import type { Payload } from 'payload'
import { webhooksConfigOf } from './config.ts'
import {
  DELIVERY_STATUS,
  INTERNAL_WRITE,
  RESPONSE_EXCERPT_BYTES,
  WEBHOOK_DELIVERIES_SLUG,
  WEBHOOK_ENDPOINTS_SLUG,
} from './constants.ts'
import { openSecret } from './secrets.ts'
import { signatureHeaders } from './signing.ts'
import type { ResolvedWebhooksConfig } from './types.ts'
import { guardedLookup, guardLiteral, WebhookUrlError } from './url-guard.ts'

type Id = number | string

interface DeliveryRow {
  id: Id
  tenant: unknown
  endpoint: Id | { id: Id }
  eventId: string
  payload: unknown
  attempts?: number | null
  status: string
}

interface EndpointRow {
  id: Id
  tenant: unknown
  url: string
  enabled?: boolean | null
  failureCount?: number | null
  ciphertext?: string | null
  keyId?: string | null
}

/** Where this attempt stands in pg-boss's retry policy. */
export interface AttemptInfo {
  retryCount: number
  retryLimit: number
  retryDelay: number
}

export interface PostResult {
  status?: number
  body?: string
  error?: string
  durationMs: number
  /** The URL can never work (refused by the SSRF guard): no point retrying. */
  permanent?: boolean
}

/** Retrying does not help: the delivery failed for good on this attempt. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError'
}

/** POSTs `body` with `headers`, guarded and time-limited; never throws. */
export function postWebhook(
  config: ResolvedWebhooksConfig,
  target: string,
  headers: Record<string, string>,
  body: string,
): Promise<PostResult> {
  const started = performance.now()
  const took = () => Math.round(performance.now() - started)
  return new Promise((resolve) => {
    let url: URL
    try {
      url = new URL(target)
      guardLiteral(config, url)
    } catch (error) {
      resolve({ error: (error as Error).message, durationMs: took(), permanent: true })
      return
    }
    const client = url.protocol === 'https:' ? https : http
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'BizOSaaS-Webhooks/1.0',
        },
        lookup: guardedLookup(config, url.hostname),
        signal: AbortSignal.timeout(config.timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_EXCERPT_BYTES) chunks.push(chunk)
          size += chunk.length
        })
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            body: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8'),
            durationMs: took(),
          }),
        )
        response.on('error', (error) =>
          resolve({ status: response.statusCode, error: error.message, durationMs: took() }),
        )
      },
    )
    request.on('error', (error: Error) => {
      const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError'
      resolve({
        error: timedOut ? `No answer within ${config.timeoutMs} ms` : error.message,
        durationMs: took(),
        permanent: error instanceof WebhookUrlError,
      })
    })
    request.end(body)
  })
}

const local = { overrideAccess: true, depth: 0, context: { [INTERNAL_WRITE]: true } } as const
const idOf = (value: Id | { id: Id }): Id => (typeof value === 'object' ? value.id : value)

/**
 * Runs one attempt of a delivery. Returns quietly when it succeeded or failed for good; throws (so
 * pg-boss retries) when it failed and attempts remain.
 */
export async function deliverWebhook(payload: Payload, deliveryId: Id, attempt: AttemptInfo): Promise<string> {
  const config = webhooksConfigOf(payload)
  const delivery = (await payload.findByID({
    collection: WEBHOOK_DELIVERIES_SLUG as never,
    id: deliveryId,
    disableErrors: true,
    ...local,
  })) as unknown as DeliveryRow | null
  if (!delivery) return 'gone'
  // A retried job for a delivery that already got through (a worker died after the POST) sends nothing more.
  if (delivery.status === DELIVERY_STATUS.succeeded) return DELIVERY_STATUS.succeeded
  const endpoint = (await payload.findByID({
    collection: WEBHOOK_ENDPOINTS_SLUG as never,
    id: idOf(delivery.endpoint),
    disableErrors: true,
    ...local,
  })) as unknown as EndpointRow | null
  const attempts = (delivery.attempts ?? 0) + 1
  const record = (data: Record<string, unknown>) =>
    payload.update({ collection: WEBHOOK_DELIVERIES_SLUG as never, id: delivery.id, data: data as never, ...local })

  if (!endpoint || endpoint.enabled === false) {
    await record({
      status: DELIVERY_STATUS.failed,
      error: endpoint ? 'The endpoint is disabled' : 'The endpoint was deleted',
      nextAttemptAt: null,
    })
    return DELIVERY_STATUS.failed
  }

  // Counted before the POST: a worker killed mid-POST still leaves its attempt on the row.
  await record({ attempts })
  const body = JSON.stringify(delivery.payload)
  let result: PostResult
  try {
    const headers = signatureHeaders(openSecret(payload, endpoint), delivery.eventId, new Date(), body)
    result = await postWebhook(config, endpoint.url, headers, body)
  } catch (error) {
    // The secret does not open (a key removed from VAULT_KEYS): rotating the secret fixes it, retrying does not.
    result = {
      error: `Could not sign: ${(error as Error).message}. Rotate the endpoint's secret.`,
      durationMs: 0,
      permanent: true,
    }
  }
  const ok = result.status !== undefined && result.status >= 200 && result.status < 300
  const last = attempt.retryCount >= attempt.retryLimit || Boolean(result.permanent)
  const common = {
    attempts,
    responseStatus: result.status ?? null,
    responseBody: result.body ?? null,
    error: ok ? null : (result.error ?? `The receiver answered ${result.status}`),
    durationMs: result.durationMs,
  }
  if (ok) {
    await record({
      ...common,
      status: DELIVERY_STATUS.succeeded,
      deliveredAt: new Date().toISOString(),
      nextAttemptAt: null,
    })
    if (endpoint.failureCount)
      await payload.update({
        collection: WEBHOOK_ENDPOINTS_SLUG as never,
        id: endpoint.id,
        data: { failureCount: 0 } as never,
        ...local,
      })
    return DELIVERY_STATUS.succeeded
  }
  if (last) {
    // Counted first, so whoever sees the delivery failed also sees the endpoint's count.
    await countFailure(payload, config, endpoint)
    await record({ ...common, status: DELIVERY_STATUS.failed, nextAttemptAt: null })
    return DELIVERY_STATUS.failed
  }
  // pg-boss waits about retryDelay · 2^retryCount (jittered between half and all of it): the latest it may be.
  const delay = attempt.retryDelay * 2 ** Math.min(16, attempt.retryCount)
  await record({
    ...common,
    status: DELIVERY_STATUS.retrying,
    nextAttemptAt: new Date(Date.now() + delay * 1000).toISOString(),
  })
  throw new Error(`Webhook delivery ${delivery.id}: attempt ${attempts} failed (${common.error}); retrying`)
}

/** One more failed delivery in a row (counted atomically); at the limit the endpoint is disabled with the reason. */
async function countFailure(payload: Payload, config: ResolvedWebhooksConfig, endpoint: EndpointRow): Promise<void> {
  const pool = (
    payload.db as unknown as {
      pool: { query(text: string, values: unknown[]): Promise<{ rows: { failures: number }[] }> }
    }
  ).pool
  const { rows } = await pool.query(
    'UPDATE webhook_endpoints SET failure_count = coalesce(failure_count, 0) + 1, updated_at = now() WHERE id = $1 RETURNING failure_count::int AS failures',
    [endpoint.id],
  )
  const failures = rows[0]?.failures ?? 0
  if (failures < config.disableAfterFailures) return
  await payload.update({
    collection: WEBHOOK_ENDPOINTS_SLUG as never,
    id: endpoint.id,
    data: {
      enabled: false,
      disabledAt: new Date().toISOString(),
      disabledReason: `Disabled after ${failures} failed deliveries in a row; fix the receiver, then enable it again.`,
    } as never,
    ...local,
  })
}
