/**
 * The tenant's social accounts as the social agents see them: which ones a run may post to (active, of
 * the run's tenant), their platform, and the link each one's text should carry (UTM parameters per
 * platform, the same the service records on the variant).
 */
import { PLATFORM_RULES, type SocialPlatformId } from '@bizosaas/contracts/social'
import { type Id, idOf } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'
import { SOCIAL_ACCOUNTS } from '../constants.ts'
import { variantLink as serviceLink } from '../posts.ts'

export interface AgentAccount {
  id: Id
  platform: SocialPlatformId
  name: string
  handle: string | null
  active: boolean
}

/** The tenant's active accounts (at most 20), by platform. */
export async function activeAccountIds(payload: Payload, tenant: Id): Promise<Id[]> {
  const found = await payload.find({
    collection: SOCIAL_ACCOUNTS as never,
    where: { and: [{ tenant: { equals: tenant } }, { active: { not_equals: false } }] },
    depth: 0,
    limit: 20,
    sort: 'platform',
    overrideAccess: true,
  })
  return found.docs.map((doc) => (doc as { id: Id }).id)
}

/**
 * Of the tenant's accounts `ids`, those whose connection can post now (`connected`). Proposals leave the
 * others out instead of failing as a whole: the service refuses a variant on a disconnected account.
 */
export async function connectedAccountIds(payload: Payload, tenant: Id, ids: readonly Id[]): Promise<Id[]> {
  if (!ids.length) return []
  const found = await payload.find({
    collection: SOCIAL_ACCOUNTS as never,
    where: { and: [{ tenant: { equals: tenant } }, { id: { in: [...ids] } }] },
    depth: 1,
    limit: ids.length,
    overrideAccess: true,
  })
  const connected = new Set(
    (found.docs as unknown as { id: Id; connection?: { status?: string } | null }[])
      .filter((doc) => doc.connection && typeof doc.connection === 'object' && doc.connection.status === 'connected')
      .map((doc) => String(doc.id)),
  )
  return ids.filter((id) => connected.has(String(id)))
}

/** The tenant's accounts among `ids`, in the order asked; ids that are not the tenant's are reported. */
export async function tenantAccounts(
  payload: Payload,
  tenant: Id,
  ids: readonly Id[],
): Promise<{ accounts: AgentAccount[]; missing: Id[] }> {
  const wanted = ids.map((id) => idOf(id)).filter((id): id is Id => id !== undefined)
  const found = wanted.length
    ? await payload.find({
        collection: SOCIAL_ACCOUNTS as never,
        where: { and: [{ tenant: { equals: tenant } }, { id: { in: wanted } }] },
        depth: 0,
        limit: wanted.length,
        overrideAccess: true,
      })
    : { docs: [] }
  const byId = new Map(
    (found.docs as unknown as Record<string, unknown>[]).map((doc) => [String(doc.id), doc] as const),
  )
  const accounts: AgentAccount[] = []
  const missing: Id[] = []
  for (const id of wanted) {
    const doc = byId.get(String(id))
    if (!doc) {
      missing.push(id)
      continue
    }
    accounts.push({
      id: doc.id as Id,
      platform: doc.platform as SocialPlatformId,
      name: String(doc.name ?? ''),
      handle: typeof doc.handle === 'string' && doc.handle ? doc.handle : null,
      active: doc.active !== false,
    })
  }
  return { accounts, missing }
}

/** The link a variant of `account` carries: `url` with its UTM parameters (as the service records them), or null. */
export function variantLink(url: string | null, account: AgentAccount, campaign: string): string | null {
  if (!url) return null
  try {
    return serviceLink(url, account.platform, campaign, account.id)
  } catch {
    return null
  }
}

/** A platform's rules in a few lines, for the model. */
export function rulesSummary(platform: SocialPlatformId) {
  const rules = PLATFORM_RULES[platform]
  return {
    name: rules.name,
    maxChars: rules.maxChars,
    counting:
      rules.counting === 'weighted'
        ? 'weighted: emoji and CJK count 2'
        : rules.counting === 'graphemes'
          ? 'graphemes (what a reader sees as one character)'
          : 'code points',
    linkCounts: rules.linkLength === undefined ? 'its full length' : `${rules.linkLength} characters`,
    clickableLinks: rules.clickableLinks,
    threads: rules.maxThreadParts > 1 ? `up to ${rules.maxThreadParts} parts` : 'no threads',
    maxHashtags: rules.maxHashtags ?? null,
    mediaRequired: rules.media.required,
    altTextMax: rules.media.altTextMax,
  }
}
