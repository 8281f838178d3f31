/**
 * Sign-in and forgot-password limits as hooks on the auth collection, so the REST and GraphQL routes
 * (and the admin's sign-in form) are covered alike; the Local API (trusted server code) is not limited.
 *
 * Sign-in follows rate-limiter-flexible's brute-force pattern: every attempt spends a point per email
 * and per IP before the password is checked (parallel guesses cannot slip through), and a successful
 * sign-in resets its email's count and gives its IP point back — so both count failures only.
 * Payload's own lock (`maxLoginAttempts`) stays as a backstop; when it refuses, the answer is made the
 * same 429 with the lock's remaining time, so a person sees one kind of refusal with one wait.
 */
import {
  APIError,
  type CollectionAfterErrorHook,
  type CollectionAfterLoginHook,
  type CollectionBeforeOperationHook,
  type CollectionSlug,
  LockedAuth,
  type PayloadRequest,
} from 'payload'
import { clientIp } from './client-ip.ts'
import { type Refusal, waitText } from './limits.ts'
import { MESSAGES, rateLimitsOf } from './runtime.ts'

/** What a sign-in attempt spent, for afterLogin to give back on success. */
const SPENT = 'bizosaasRateLimitSignIn'

interface Spent {
  ip?: string
  email?: string
}

/** Payload's own normalisation of the email it looks the user up by. */
const normalizeEmail = (value: unknown) =>
  typeof value === 'string' && value.trim() ? value.trim().toLowerCase() : undefined

/** Payload sends `req.responseHeaders` with the answer, error answers included. */
function setRetryAfter(req: PayloadRequest, seconds: number): void {
  const headers = req.responseHeaders ?? new Headers()
  headers.set('Retry-After', String(seconds))
  req.responseHeaders = headers
}

/** Retry-After on the response and a 429 with the refusal's message (Payload's error format). */
function refuse(req: PayloadRequest, refusal: Refusal): never {
  setRetryAfter(req, refusal.retryAfterSeconds)
  throw new APIError(refusal.message, 429, { limit: refusal.limit, retryAfterSeconds: refusal.retryAfterSeconds }, true)
}

export const limitAuthAttempts: CollectionBeforeOperationHook = async ({ args, operation, req }) => {
  if (operation !== 'login' && operation !== 'forgotPassword') return args
  if (req.payloadAPI === 'local') return args
  const limits = rateLimitsOf(req.payload)
  const [perEmail, perIp] =
    operation === 'login'
      ? [limits.signInEmail, limits.signInIp]
      : [limits.forgotPasswordEmail, limits.forgotPasswordIp]
  const email = normalizeEmail((args as { data?: { email?: unknown } }).data?.email)
  const ip = clientIp(req.headers, limits.config.trustedProxyCount)
  // The IP first: a refused IP spends nothing of the email's allowance.
  const ipRefusal = ip ? await perIp.consume(ip) : null
  if (ipRefusal) refuse(req, ipRefusal)
  const emailRefusal = email ? await perEmail.consume(email) : null
  if (emailRefusal) refuse(req, emailRefusal)
  if (operation === 'login') req.context[SPENT] = { ip, email } satisfies Spent
  return args
}

/** A successful sign-in was no failure: reset its email's count and give its IP point back. */
export const forgiveSuccessfulSignIn: CollectionAfterLoginHook = async ({ req, user }) => {
  const spent = req.context[SPENT] as Spent | undefined
  if (!spent) return user
  delete req.context[SPENT]
  const limits = rateLimitsOf(req.payload)
  await Promise.all([
    spent.email ? limits.signInEmail.reset(spent.email) : undefined,
    spent.ip ? limits.signInIp.reward(spent.ip) : undefined,
  ])
  return user
}

/** Payload's own account lock answered as a rate limit: 429, Retry-After = the lock's remaining time. */
export const explainLockedAccount =
  (collection: string): CollectionAfterErrorHook =>
  async ({ error, req }) => {
    if (!(error instanceof LockedAuth)) return
    const email = normalizeEmail((req.data as { email?: unknown } | undefined)?.email)
    const user = email
      ? ((await req.payload.db.findOne({
          collection: collection as CollectionSlug,
          where: { email: { equals: email } },
        })) as {
          lockUntil?: string | null
        } | null)
      : null
    const until = user?.lockUntil ? new Date(user.lockUntil).getTime() : Date.now() + 60_000
    const retryAfterSeconds = Math.max(1, Math.ceil((until - Date.now()) / 1000))
    setRetryAfter(req, retryAfterSeconds)
    const message = MESSAGES.signInEmail(waitText(retryAfterSeconds))
    return { status: 429, response: { errors: [{ message, data: { limit: 'account-lock', retryAfterSeconds } }] } }
  }
