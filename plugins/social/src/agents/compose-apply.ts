/**
 * What `apply` checks and prepares before a composed post is created: each chosen account has exactly
 * one variant on its own platform, which media each variant attaches, and the source image's alt text.
 */
import { type SocialPlatformId, validateVariant } from '@bizosaas/contracts/social'
import { type Id, sameId } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'
import { type AgentAccount, tenantAccounts } from './accounts.ts'
import type { SourceImage } from './sources.ts'

interface AccountVariant {
  account: Id
  platform: SocialPlatformId
}

/**
 * Pairs each chosen account with its variant. Throws (the run fails, naming the account) when an
 * account is not the tenant's, is switched off, has no variant or two, or a variant names the wrong
 * platform or an account that was not chosen.
 */
export async function matchVariants<V extends AccountVariant>(
  payload: Payload,
  tenant: Id,
  chosen: readonly Id[],
  variants: readonly V[],
): Promise<{ account: AgentAccount; variant: V }[]> {
  const { accounts, missing } = await tenantAccounts(payload, tenant, chosen)
  if (missing.length) throw new Error(`No social account ${missing.join(', ')} in this tenant`)
  const extra = variants.filter((v) => !accounts.some((a) => sameId(a.id, v.account)))
  if (extra.length)
    throw new Error(
      `The answer has variants for accounts that were not chosen: ${extra.map((v) => v.account).join(', ')}`,
    )
  return accounts.map((account) => {
    if (!account.active) throw new Error(`The ${account.platform} account "${account.name}" is switched off`)
    const own = variants.filter((v) => sameId(v.account, account.id))
    if (own.length !== 1)
      throw new Error(
        `The answer has ${own.length} variants for the ${account.platform} account "${account.name}"; it needs exactly one`,
      )
    const variant = own[0]!
    if (variant.platform !== account.platform)
      throw new Error(
        `The variant for "${account.name}" was written for ${variant.platform}, but the account is on ${account.platform}`,
      )
    return { account, variant }
  })
}

/** The source image as a variant's attachment on `platform`, when the platform takes it. */
export function mediaFor(image: SourceImage | null, platform: SocialPlatformId): string[] {
  if (!image) return []
  const issues = validateVariant({ text: 'x', media: [image] }, platform)
  const refused = issues.some((i) => i.severity === 'error' && (i.rule === 'media-type' || i.rule === 'media-size'))
  return refused ? [] : [String(image.id)]
}

/** Writes the model's alt text on the source image only when the image has none: an editor's alt stays. */
export async function fillEmptyAlt(
  payload: Payload,
  image: SourceImage | null,
  variants: readonly { altText?: string }[],
): Promise<void> {
  if (!image || image.alt.trim()) return
  const alt = variants.map((v) => v.altText?.trim()).find(Boolean)
  if (!alt) return
  await payload.update({
    collection: 'media' as never,
    id: image.id,
    data: { alt } as never,
    depth: 0,
    overrideAccess: true,
    context: { agentsApplying: true },
  })
  image.alt = alt
}
