/** Names the audit log shares with its host: the collection, its table, the prune queue and the actions it records. */

/** Slug of the append-only collection. */
export const AUDIT_LOG_SLUG = 'audit-log'

/** Key of the resolved options on `config.custom`. */
export const CONFIG_KEY = 'bizosaasAuditLog'

/** The pg-boss queue of the retention job (a cron schedule sends to it). */
export const PRUNE_QUEUE = 'audit-log.prune'

/** What an entry records. Other code may record its own `<noun>.<verb>` actions with `recordAuditEvent`. */
export const AUDIT_ACTIONS = Object.freeze({
  create: 'create',
  update: 'update',
  delete: 'delete',
  signIn: 'auth.sign-in',
  signInFailed: 'auth.sign-in-failed',
  approvalApproved: 'approval.approved',
  approvalRejected: 'approval.rejected',
  /** A user got a membership in the entry's tenant. */
  membershipAdded: 'membership.added',
  /** A user lost their membership in the entry's tenant. */
  membershipRemoved: 'membership.removed',
  /** A user's roles in the entry's tenant changed. */
  membershipRolesChanged: 'membership.roles-changed',
  /** A user's platform roles (`roles`, e.g. super-admin) changed. */
  rolesChanged: 'user.roles-changed',
  tenantExported: 'tenant.exported',
  tenantImported: 'tenant.imported',
  tenantDeleted: 'tenant.deleted',
} as const)

/** Keys on `req.context` (one request's entries share a request id; a sign-in keeps the email tried). */
export const CONTEXT = Object.freeze({
  requestId: 'auditLogRequestId',
  signIn: 'auditLogSignIn',
  /** Set by code that writes on the platform's behalf and must not be recorded (e.g. the log itself). */
  skip: 'auditLogSkip',
} as const)

/** Fields never worth an entry of their own: bookkeeping Payload updates on every write. */
export const IGNORED_FIELDS: readonly string[] = Object.freeze(['updatedAt', 'createdAt', 'id'])

/** Auth internals that change with a password: reported as the one field name `password`. */
export const PASSWORD_FIELDS: readonly string[] = Object.freeze(['hash', 'salt', 'password'])

/** Auth bookkeeping that changes on sign-in or lockout, not on an edit. */
export const AUTH_BOOKKEEPING: readonly string[] = Object.freeze([
  'loginAttempts',
  'lockUntil',
  'sessions',
  'resetPasswordToken',
  'resetPasswordExpiration',
  '_verified',
  '_verificationToken',
])
