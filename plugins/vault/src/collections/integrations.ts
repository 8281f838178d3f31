/**
 * `integrations`: a tenant's credentials for an external service. The secret is write-only: it is
 * sealed (AES-256-GCM, tenant-bound) before it reaches the database, and neither it nor its ciphertext
 * is ever read back over REST, GraphQL or the admin — only `readIntegrationSecret` opens it, on the server.
 */
import {
  type CollectionBeforeChangeHook,
  type CollectionBeforeValidateHook,
  type CollectionConfig,
  type FieldAccess,
  ValidationError,
} from 'payload'
import { z } from 'zod'
import { INTEGRATIONS_SLUG, INTERNAL_WRITE, PROVIDERS } from '../constants.ts'
import { seal } from '../crypto.ts'
import { testConnectionEndpoint } from '../endpoints/test-connection.ts'
import { idOf, tenantContext } from '../secrets.ts'
import type { ResolvedVaultConfig } from '../types.ts'

const nobody: FieldAccess = () => false

const secretSchema = z
  .string()
  .trim()
  .min(8, 'A secret is at least 8 characters')
  .max(4096, 'A secret is at most 4096 characters')
  .refine((s) => !/\s/.test(s), 'A secret has no spaces or line breaks')

const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'Use an http(s) URL like https://api.openai.com/v1' })
  .max(500)
  .refine((u) => !new URL(u).username && !new URL(u).password, 'Put the key in "secret", not in the URL')

function invalid(collection: string, path: string, message: string): never {
  throw new ValidationError({ collection, errors: [{ path, message }] })
}

/** Checks the secret where Payload's field validation cannot see it (it is virtual and removed before save). */
const checkSecret: CollectionBeforeValidateHook = ({ data, operation, collection, req }) => {
  if (req.context?.[INTERNAL_WRITE]) return data
  const secret = (data as { secret?: unknown } | undefined)?.secret
  if (secret === undefined || secret === null || secret === '') {
    if (operation === 'create') invalid(collection.slug, 'secret', 'Enter the API key or token to store')
    return data
  }
  if (typeof secret !== 'string') invalid(collection.slug, 'secret', 'The secret must be text')
  const parsed = secretSchema.safeParse(secret)
  if (!parsed.success) invalid(collection.slug, 'secret', parsed.error.issues[0]!.message)
  return { ...data, secret: parsed.data }
}

/** Seals a new secret with the current key; keeps only its last four characters as a hint. */
const sealSecret =
  (config: ResolvedVaultConfig): CollectionBeforeChangeHook =>
  ({ data, originalDoc, operation, collection, req }) => {
    if (req.context?.[INTERNAL_WRITE]) return data
    const { secret, ...rest } = data as { secret?: string; tenant?: unknown }
    const tenant = idOf(rest.tenant ?? originalDoc?.tenant)
    if (tenant === undefined) invalid(collection.slug, 'tenant', 'Choose the tenant this integration belongs to')
    if (!secret) {
      // The seal is bound to the tenant: moving it without the secret would leave a secret nobody can open.
      if (operation === 'update' && String(tenant) !== String(idOf(originalDoc?.tenant)))
        invalid(collection.slug, 'secret', 'Enter the secret again to move this integration to another tenant')
      return rest
    }
    const sealed = seal(config.keyring(), secret, tenantContext(tenant))
    return { ...rest, ciphertext: sealed.ciphertext, keyId: sealed.keyId, secretHint: `…${secret.slice(-4)}` }
  }

export function integrationsCollection(config: ResolvedVaultConfig): CollectionConfig {
  const overrides = config.collectionOverrides
  return {
    ...overrides,
    slug: INTEGRATIONS_SLUG,
    labels: { singular: 'Integration', plural: 'Integrations' },
    admin: {
      useAsTitle: 'name',
      defaultColumns: ['name', 'provider', 'secretHint', 'lastTest.ok'],
      group: 'Settings',
      ...overrides.admin,
    },
    access: {
      read: config.access.read,
      create: config.access.manage,
      update: config.access.manage,
      delete: config.access.manage,
      ...overrides.access,
    },
    hooks: {
      ...overrides.hooks,
      beforeValidate: [...(overrides.hooks?.beforeValidate ?? []), checkSecret],
      beforeChange: [...(overrides.hooks?.beforeChange ?? []), sealSecret(config)],
    },
    endpoints: config.enabled ? [...(overrides.endpoints || []), testConnectionEndpoint] : overrides.endpoints,
    fields: [
      { name: 'name', type: 'text', required: true, maxLength: 120 },
      {
        name: 'provider',
        type: 'select',
        required: true,
        options: PROVIDERS.map((value) => ({
          value,
          label: value === 'openai' ? 'OpenAI (or compatible)' : 'Anthropic',
        })),
      },
      {
        name: 'baseUrl',
        type: 'text',
        admin: { description: 'Leave empty for the provider’s own API; set it for an OpenAI-compatible server.' },
        validate: (value: unknown) => {
          if (value === null || value === undefined || value === '') return true
          const parsed = baseUrlSchema.safeParse(value)
          return parsed.success || parsed.error.issues[0]!.message
        },
      },
      {
        name: 'secret',
        type: 'text',
        virtual: true,
        access: { read: nobody },
        admin: {
          description: 'Write-only: stored encrypted and never shown again. Leave empty to keep the current one.',
        },
        hooks: { afterRead: [() => undefined] },
      },
      {
        name: 'secretHint',
        type: 'text',
        access: { create: nobody, update: nobody },
        admin: { readOnly: true, description: 'The last four characters of the stored secret.' },
      },
      {
        name: 'keyId',
        type: 'text',
        index: true,
        access: { create: nobody, update: nobody },
        admin: { readOnly: true, description: 'The vault key that sealed the secret (see VAULT_KEYS).' },
      },
      {
        name: 'ciphertext',
        type: 'text',
        access: { read: nobody, create: nobody, update: nobody },
        admin: { hidden: true },
      },
      {
        name: 'lastTest',
        type: 'group',
        access: { create: nobody, update: nobody },
        admin: { readOnly: true },
        fields: [
          { name: 'ok', type: 'checkbox' },
          { name: 'message', type: 'text' },
          { name: 'checkedAt', type: 'date' },
        ],
      },
    ],
  }
}
