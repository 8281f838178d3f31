/**
 * Whose model keys pay for a tenant's agent runs: the tenant's own (connections to `openai` / `anthropic`),
 * the platform's (env), or the tenant's first and the platform's otherwise. Stored on the tenant.
 */
import type { Payload } from 'payload'
import { z } from 'zod'

export const MODEL_KEY_POLICIES = Object.freeze(['own-only', 'own-then-platform', 'platform-only'] as const)
export type ModelKeyPolicy = (typeof MODEL_KEY_POLICIES)[number]

/**
 * A tenant that saved its own key expects its runs to use it, and one without a key expects its runs
 * to work as before: so the tenant's key when it has one, else the platform's.
 */
export const DEFAULT_MODEL_KEY_POLICY: ModelKeyPolicy = 'own-then-platform'

/** The field on `tenants` that holds the policy. */
export const MODEL_KEYS_FIELD = 'modelKeys'

export const modelKeyPolicySchema = z.enum(MODEL_KEY_POLICIES, {
  error: `Choose one of ${MODEL_KEY_POLICIES.join(', ')}`,
})

/** What each policy means, for the admin and the portal. */
export const MODEL_KEY_POLICY_LABELS: Readonly<Record<ModelKeyPolicy, string>> = Object.freeze({
  'own-only': 'Only our own keys (runs fail without one)',
  'own-then-platform': 'Our own key when we have one, else the platform’s',
  'platform-only': 'Only the platform’s keys',
})

/** The tenant's policy (the default when it has none, or no such tenant). */
export async function modelKeyPolicyOf(payload: Payload, tenant: number | string): Promise<ModelKeyPolicy> {
  const doc = (await payload.findByID({
    collection: 'tenants' as never,
    id: tenant,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
    select: { [MODEL_KEYS_FIELD]: true } as never,
  })) as Record<string, unknown> | null
  const parsed = modelKeyPolicySchema.safeParse(doc?.[MODEL_KEYS_FIELD])
  return parsed.success ? parsed.data : DEFAULT_MODEL_KEY_POLICY
}
