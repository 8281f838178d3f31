/**
 * Structured JSON logs for every BizOSaaS service: pino options (level from LOG_LEVEL, `service` on every
 * line, secrets redacted) and the request context (`reqId`, `tenant`, job ids) that every line written
 * inside `withLogContext` carries — through AsyncLocalStorage, so code deep in Payload hooks or agent
 * tools logs with the id of the request or job it serves without being handed a logger.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { type DestinationStream, type Logger, type LoggerOptions, pino, stdSerializers } from 'pino'
import { z } from 'zod'

/** What a log line says about the work it belongs to. */
export interface LogContext {
  /** The `x-request-id` of the request that started the work (kept in job data as `requestId`). */
  reqId?: string
  /** The tenant the work belongs to, when there is one (its id, as a string everywhere). */
  tenant?: string
  /** Anything else worth on every line of the work: `jobId`, `runId`, `queue` … */
  [key: string]: unknown
}

const storage = new AsyncLocalStorage<LogContext>()

/** Runs `fn` with `context` added to every line logged inside it (nested calls add to the outer context). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  const defined = Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined && v !== null))
  return storage.run({ ...storage.getStore(), ...defined }, fn)
}

/** The context of the work running now, if any. */
export function logContext(): Readonly<LogContext> | undefined {
  return storage.getStore()
}

/** Adds to the current context in place (e.g. the tenant, once a request has been authenticated). */
export function addLogContext(context: LogContext): void {
  const store = storage.getStore()
  if (!store) return
  for (const [key, value] of Object.entries(context)) if (value !== undefined && value !== null) store[key] = value
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
/** `LOG_LEVEL`: one of pino's levels. @default info */
export const logLevelSchema = z.enum(LOG_LEVELS).default('info')

/** Reads LOG_LEVEL, naming the variable when its value is not a level. */
export function logLevelFrom(env: Record<string, string | undefined> = process.env): z.infer<typeof logLevelSchema> {
  const parsed = logLevelSchema.safeParse(env.LOG_LEVEL?.trim().toLowerCase() || undefined)
  if (!parsed.success) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`)
  return parsed.data
}

/** Keys whose values never reach a log line, at the top level or one object down. */
const SECRET_KEYS = [
  'password',
  'token',
  'apiKey',
  'secret',
  'authorization',
  'cookie',
  'accessToken',
  'refreshToken',
  'connectionString',
]
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-publishable-api-key"]',
]

/** Properties of an error that are connections, not facts: a pg error's `client` holds its connection settings. */
const ERROR_CONNECTION_KEYS = ['client', 'connection', 'connectionParameters', 'pool']

/** pino's error serializer, without the connection objects drivers hang on their errors. */
function serializeError(error: unknown): unknown {
  const serialized = stdSerializers.err(error as Error) as unknown as Record<string, unknown>
  if (serialized && typeof serialized === 'object') for (const key of ERROR_CONNECTION_KEYS) delete serialized[key]
  return serialized
}

export interface ServiceLoggerOptions {
  /** The level; @default LOG_LEVEL, else info */
  level?: string
}

/**
 * pino options for `service`: JSON lines with `level` as a word, an ISO `time`, `service`, `pid`, the
 * request context of the work in progress, and secret fields redacted. Pass them to Payload's `logger`
 * option or to `createLogger`.
 */
export function serviceLoggerOptions(service: string, options: ServiceLoggerOptions = {}): LoggerOptions {
  return {
    name: service,
    level: options.level ?? logLevelFrom(),
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => ({ ...storage.getStore() }),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
  }
}

/** A pino logger for `service`, writing to `destination` (stdout by default). */
export function createLogger(
  service: string,
  destination?: DestinationStream,
  options: ServiceLoggerOptions = {},
): Logger {
  return pino(serviceLoggerOptions(service, options), destination)
}

export type { DestinationStream, Logger, LoggerOptions }
