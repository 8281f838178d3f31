/**
 * The alerts' settings from the environment, validated once: thresholds, and where notices go (SMTP to
 * the platform admins, and/or a signed webhook). Secrets (SMTP URL, webhook secret) are never echoed.
 */
import { z } from 'zod'

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://hooks.example.com/alerts' })

const schema = z.object({
  /** A queue whose oldest ready job waited longer than this (seconds) opens an incident. */
  ALERT_QUEUE_AGE_SECONDS: z.coerce.number().int().min(1, 'must be at least 1 second').default(600),
  /** A tenant with this many failed runs within ALERT_FAILED_RUNS_MINUTES opens an incident. */
  ALERT_FAILED_RUNS: z.coerce.number().int().min(1, 'must be at least 1').default(5),
  ALERT_FAILED_RUNS_MINUTES: z.coerce.number().int().min(1, 'must be at least 1 minute').default(15),
  /** Dead letters newer than this (minutes) keep a queue's dead-letter incident open; later ones open a new one. */
  ALERT_DEAD_LETTER_MINUTES: z.coerce.number().int().min(1, 'must be at least 1 minute').default(60),
  /** SMTP server for the admins' emails, like smtp://user:pass@mail.example.com:587 (smtps:// for TLS). */
  ALERT_SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^/]+/.test(v), 'must be an SMTP URL like smtp://user:password@mail.example.com:587')
    .optional(),
  /** The From of the emails. */
  ALERT_FROM: z.string().min(3).default('BizOSaaS alerts <alerts@localhost>'),
  /** A URL that gets each notice as a JSON POST. */
  ALERT_WEBHOOK_URL: httpUrl.optional(),
  /** Signs the webhook's body: header `x-bizosaas-signature: sha256=<HMAC-SHA256 hex>`. */
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Also notify when an incident ends. */
  ALERT_NOTIFY_RESOLVED: z.enum(['true', 'false']).default('true'),
})

export interface AlertSettings {
  queueAgeSeconds: number
  failedRuns: number
  failedRunsMinutes: number
  deadLetterMinutes: number
  smtpUrl?: string
  from: string
  webhookUrl?: string
  webhookSecret?: string
  notifyResolved: boolean
  /** The workers' heartbeat interval (a worker is missing after 3 of them). @default HEARTBEAT_INTERVAL_MS */
  heartbeatIntervalMs?: number
}

const SECRET = new Set(['ALERT_SMTP_URL', 'ALERT_WEBHOOK_SECRET'])

/** Parses the ALERT_* variables or throws one error naming each bad one. */
export function readAlertSettings(source: Record<string, string | undefined> = process.env): AlertSettings {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([k, v]) => k.startsWith('ALERT_') && v))
  const parsed = schema.safeParse(cleaned)
  if (!parsed.success)
    throw new Error(
      `Invalid alert settings:\n${parsed.error.issues
        .map((i) => {
          const key = String(i.path[0])
          return `  - ${key} ${i.message}${SECRET.has(key) ? '' : ` (got "${cleaned[key]}")`}`
        })
        .join('\n')}`,
    )
  const env = parsed.data
  return {
    queueAgeSeconds: env.ALERT_QUEUE_AGE_SECONDS,
    failedRuns: env.ALERT_FAILED_RUNS,
    failedRunsMinutes: env.ALERT_FAILED_RUNS_MINUTES,
    deadLetterMinutes: env.ALERT_DEAD_LETTER_MINUTES,
    smtpUrl: env.ALERT_SMTP_URL,
    from: env.ALERT_FROM,
    webhookUrl: env.ALERT_WEBHOOK_URL,
    webhookSecret: env.ALERT_WEBHOOK_SECRET,
    notifyResolved: env.ALERT_NOTIFY_RESOLVED === 'true',
  }
}
