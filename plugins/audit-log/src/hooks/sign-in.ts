/**
 * Sign-ins and failed sign-ins of the user collection. A success is recorded by `afterLogin` (inside the
 * login's transaction); a failure never reaches a collection hook, so the email tried is kept on the
 * request when the login starts and the config's `afterError` hook (REST and GraphQL) records the refusal.
 */
import type { AfterErrorHook, CollectionAfterLoginHook, CollectionBeforeOperationHook } from 'payload'
import { AUDIT_ACTIONS, CONTEXT } from '../constants.ts'
import { auditLogConfigOf } from '../defaults.ts'
import { writeEntries } from '../record.ts'

/** Payload's errors for a refused sign-in (wrong email or password, locked, not verified). */
const REFUSALS = new Set(['AuthenticationError', 'LockedAuth', 'UnverifiedEmail'])

export const rememberSignIn: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation !== 'login') return args
  const data = (args as { data?: { email?: unknown; username?: unknown } }).data
  const tried = typeof data?.email === 'string' ? data.email : typeof data?.username === 'string' ? data.username : ''
  if (!req.context) req.context = {}
  req.context[CONTEXT.signIn] = { email: tried.toLowerCase().trim().slice(0, 254) || null }
  return args
}

export const recordSignIn: CollectionAfterLoginHook = async ({ collection, req, user }) => {
  const u = user as { id: number | string; email?: string }
  await writeEntries(req.payload, req, [
    {
      action: AUDIT_ACTIONS.signIn,
      collection: collection.slug,
      documentId: u.id,
      tenant: null,
      changedFields: [],
      user: { id: u.id, email: u.email ?? null },
    },
  ])
  return user
}

export const recordFailedSignIn: AfterErrorHook = async ({ error, req }) => {
  const context = req?.context as Record<string, unknown> | undefined
  const attempt = context?.[CONTEXT.signIn] as { email: string | null; recorded?: boolean } | undefined
  if (!attempt || attempt.recorded) return
  const cause = ((error as { originalError?: Error }).originalError ?? error) as Error
  if (!REFUSALS.has(cause?.name) && !REFUSALS.has(cause?.constructor?.name)) return
  attempt.recorded = true
  try {
    await writeEntries(req.payload, req, [
      {
        action: AUDIT_ACTIONS.signInFailed,
        collection: auditLogConfigOf(req.payload).userCollection,
        tenant: null,
        changedFields: [],
        details: { reason: cause.name },
        user: { id: null, email: attempt.email },
      },
    ])
  } catch (writeError) {
    // The refusal goes out either way; a missing entry is logged, not turned into a 500.
    req.payload.logger.error({ err: writeError }, 'audit-log: could not record a failed sign-in')
  }
}
