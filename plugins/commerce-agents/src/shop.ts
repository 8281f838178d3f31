/**
 * The shop an agent run works for: the tenant's document (name, Medusa sales channel) and the Medusa
 * client with a deadline on each call. Tenant-checked document reads and writes are
 * `@bizosaas/plugin-agents`' (its documents module).
 */
import { type Id, tenantRef } from '@bizosaas/plugin-agents'
import { type MedusaClient, medusaClientOf, medusaConfigOf, withDeadline } from '@bizosaas/plugin-medusa'
import type { Payload } from 'payload'
import type { CommerceAgentOptions } from './types.ts'

/** The tenant document (name, commerce link) of a run. */
export async function readTenant(
  payload: Payload,
  tenant: unknown,
): Promise<{ id: Id; name: string; commerce?: { salesChannelId?: string | null } | null } | undefined> {
  const doc = await payload.findByID({
    collection: 'tenants' as never,
    id: tenantRef(tenant),
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
  })
  return (doc ?? undefined) as never
}

/** A Medusa client and a deadline for each call, as the options and the Medusa plugin configure them. */
export function medusaOf(options: CommerceAgentOptions, payload: Payload) {
  const client: MedusaClient = options.medusa ? options.medusa(payload) : medusaClientOf(payload)
  const timeoutMs = medusaConfigOf(payload).timeoutMs
  return {
    client,
    call: <T>(what: string, request: (client: MedusaClient) => Promise<T>) =>
      withDeadline(request(client), timeoutMs, what),
  }
}
