/**
 * Reading and writing the documents agents work on through the Payload Local API, tenant-checked, and
 * the Medusa client they use. Collection data is loosely typed on purpose: the pack runs inside
 * whatever CMS generated its own types.
 */
import type { AgentServices } from '@bizosaas/agents'
import { type MedusaClient, medusaClientOf, medusaConfigOf, withDeadline } from '@bizosaas/plugin-medusa'
import type { Payload } from 'payload'
import { APPLY_CONTEXT } from './constants.ts'
import type { CommerceAgentOptions } from './types.ts'

export type Id = number | string
export type DocumentData = Record<string, unknown> & { id: Id; tenant?: Id | { id: Id } | null }
export interface DocumentRef {
  collection: string
  id: Id
}

/** The Payload Local API the agents plugin hands to tools and `apply`. */
export function payloadOf(services: AgentServices): Payload {
  if (!services.payload)
    throw new Error('Commerce agents need the Payload Local API: run them through @bizosaas/plugin-agents')
  return services.payload
}

export const idOf = (value: Id | { id: Id } | null | undefined): Id | undefined =>
  value && typeof value === 'object' ? value.id : (value ?? undefined)

/** A run's tenant (a string in the runtime) as Payload's id: serial ids are numbers. */
export function tenantRef(tenant: string | number | undefined): Id {
  if (tenant === undefined || tenant === '')
    throw new Error('This agent works on tenant-owned documents and needs the run tenant')
  return typeof tenant === 'number' || !/^\d+$/.test(tenant) ? tenant : Number(tenant)
}

/**
 * Reads a document of the run's tenant (depth 0). Another tenant's document, or none, is an error
 * message (tools hand it to the model; `apply` throws it).
 */
export async function readTenantDocument(
  payload: Payload,
  ref: DocumentRef,
  tenant: string | number | undefined,
): Promise<{ doc: DocumentData; error?: undefined } | { error: string }> {
  if (tenant === undefined) return { error: 'Refused: this run has no tenant, and documents belong to tenants' }
  const doc = (await payload.findByID({
    collection: ref.collection as never,
    id: ref.id,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
  })) as DocumentData | null
  if (!doc) return { error: `No ${ref.collection} document with id ${ref.id}` }
  if (String(idOf(doc.tenant)) !== String(tenant))
    return {
      error: `Refused: ${ref.collection} ${ref.id} belongs to another tenant. Agents only read and change documents of the tenant they run for.`,
    }
  return { doc }
}

/** `readTenantDocument` for `apply` and `current`: refusals throw. */
export async function requireTenantDocument(
  payload: Payload,
  ref: DocumentRef,
  tenant: string | number | undefined,
): Promise<DocumentData> {
  const found = await readTenantDocument(payload, ref, tenant)
  if (found.error !== undefined) throw new Error(found.error)
  return found.doc
}

/** Writes fields of a document as an agent: no access checks, and no agent triggers fire on it. */
export async function updateDocument(payload: Payload, ref: DocumentRef, data: Record<string, unknown>) {
  await payload.update({
    collection: ref.collection as never,
    id: ref.id,
    data: data as never,
    depth: 0,
    overrideAccess: true,
    context: { ...APPLY_CONTEXT },
  })
}

/** The tenant document (name, commerce link) of a run. */
export async function readTenant(
  payload: Payload,
  tenant: string | number,
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
