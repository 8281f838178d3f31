/**
 * `webhook-endpoints`: a tenant's URLs for events. The signing secret is made by the platform (32
 * random bytes), sealed with the vault's keyring (tenant-bound) and shown once — in the create
 * response (and by rotate-secret) — never read back. Failed deliveries count up; after
 * `disableAfterFailures` in a row the endpoint is disabled with the reason; enabling it again resets that.
 */
import {
  type CollectionAfterOperationHook,
  type CollectionBeforeChangeHook,
  type CollectionBeforeValidateHook,
  type CollectionConfig,
  type FieldAccess,
  ValidationError,
} from 'payload'
import { INTERNAL_WRITE, WEBHOOK_ENDPOINTS_SLUG, WEBHOOK_EVENT_TYPES } from '../constants.ts'
import { idOf, sealSecret } from '../secrets.ts'
import { newSigningSecret } from '../signing.ts'
import type { ResolvedWebhooksConfig } from '../types.ts'
import { checkWebhookUrl, WebhookUrlError } from '../url-guard.ts'

const nobody: FieldAccess = () => false
/** Where the secret made during a create waits for the create's response. */
const NEW_SECRET = 'bizosaas-connectors:webhook-new-secret'

function invalid(path: string, message: string): never {
  throw new ValidationError({ collection: WEBHOOK_ENDPOINTS_SLUG, errors: [{ path, message }] })
}

const checkUrl =
  (config: ResolvedWebhooksConfig): CollectionBeforeValidateHook =>
  ({ data, req }) => {
    if (req.context?.[INTERNAL_WRITE]) return data
    const url = (data as { url?: unknown } | undefined)?.url
    if (url === undefined) return data
    if (typeof url !== 'string' || !url.trim()) invalid('url', 'Enter the URL that receives the events')
    try {
      checkWebhookUrl(config, url.trim())
    } catch (error) {
      if (error instanceof WebhookUrlError) invalid('url', error.message)
      throw error
    }
    return { ...data, url: url.trim() }
  }

const sealNewSecret: CollectionBeforeChangeHook = ({ data, originalDoc, operation, req }) => {
  if (req.context?.[INTERNAL_WRITE]) return data
  // Field access (create/update: nobody) already dropped any ciphertext or counters a user sent.
  const rest = data
  const tenant = idOf(rest.tenant ?? originalDoc?.tenant)
  if (tenant === undefined) invalid('tenant', 'Choose the tenant this endpoint belongs to')
  if (operation === 'create') {
    const secret = newSigningSecret()
    const sealed = sealSecret(req.payload, tenant, secret)
    req.context[NEW_SECRET] = secret
    return { ...rest, ciphertext: sealed.ciphertext, keyId: sealed.keyId, failureCount: 0 }
  }
  // The secret is sealed to its tenant: an endpoint does not move.
  if (String(tenant) !== String(idOf(originalDoc?.tenant)))
    invalid('tenant', 'An endpoint cannot move to another tenant; create a new one there')
  // Enabling a disabled endpoint starts its failure count afresh.
  // (Field access runs before this hook, so these values, set here, are kept.)
  if (rest.enabled === true && originalDoc?.enabled === false)
    return { ...rest, failureCount: 0, disabledAt: null, disabledReason: null }
  return rest
}

/** Adds the new secret to the create's result only (after every afterChange hook, so no log sees it). */
const revealNewSecret: CollectionAfterOperationHook = ({ operation, result, req }) => {
  const secret = req.context?.[NEW_SECRET]
  if (operation !== 'create' || typeof secret !== 'string' || !result) return result
  delete req.context[NEW_SECRET]
  return { ...(result as object), secret } as unknown as typeof result
}

export function webhookEndpointsCollection(config: ResolvedWebhooksConfig): CollectionConfig {
  return {
    slug: WEBHOOK_ENDPOINTS_SLUG,
    labels: { singular: 'Webhook endpoint', plural: 'Webhook endpoints' },
    admin: { useAsTitle: 'url', defaultColumns: ['url', 'events', 'enabled', 'failureCount'], group: 'Settings' },
    access: {
      read: config.access.read,
      create: config.access.manage,
      update: config.access.manage,
      delete: config.access.manage,
    },
    hooks: {
      beforeValidate: [checkUrl(config)],
      beforeChange: [sealNewSecret],
      afterOperation: [revealNewSecret],
    },
    fields: [
      { name: 'url', type: 'text', required: true, maxLength: 2000 },
      { name: 'description', type: 'text', maxLength: 500 },
      {
        name: 'events',
        type: 'select',
        hasMany: true,
        required: true,
        options: WEBHOOK_EVENT_TYPES.map((value) => ({ value, label: value })),
        admin: { description: 'The events sent to this URL (a test event is always allowed).' },
      },
      { name: 'enabled', type: 'checkbox', defaultValue: true },
      {
        name: 'failureCount',
        type: 'number',
        defaultValue: 0,
        access: { create: nobody, update: nobody },
        admin: { readOnly: true, description: 'Failed deliveries in a row (every attempt spent).' },
      },
      { name: 'disabledAt', type: 'date', access: { create: nobody, update: nobody }, admin: { readOnly: true } },
      { name: 'disabledReason', type: 'text', access: { create: nobody, update: nobody }, admin: { readOnly: true } },
      {
        name: 'keyId',
        type: 'text',
        access: { read: nobody, create: nobody, update: nobody },
        admin: { hidden: true },
      },
      {
        name: 'ciphertext',
        type: 'text',
        access: { read: nobody, create: nobody, update: nobody },
        admin: { hidden: true },
      },
    ],
  }
}
