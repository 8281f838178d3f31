/**
 * `POST /api/social/validate` {tenant, account | platform, text, thread?, media?} — the issues a variant
 * would be refused or warned for, without saving anything: the composer shows them as the person types.
 * With an account, the account's connection is checked too. Members of the tenant may ask.
 */
import { PLATFORM_RULES, type SocialPlatformId, validateVariant } from '@bizosaas/contracts/social'
import type { Endpoint } from 'payload'
import { z } from 'zod'
import { requireMember } from '../access.ts'
import { socialPlatformOf } from '../defaults.ts'
import { SocialError, type SocialIssue } from '../errors.ts'
import { checkVariants, type Doc } from '../posts.ts'
import { handle, idSchema, parse, readJson, tenantSchema } from './http.ts'

const body = z
  .object({
    tenant: tenantSchema,
    account: idSchema('account').optional(),
    platform: z.enum(Object.keys(PLATFORM_RULES) as [SocialPlatformId, ...SocialPlatformId[]]).optional(),
    text: z.string().max(20_000),
    thread: z.array(z.string().max(20_000)).max(50).optional(),
    media: z.array(idSchema('media')).max(20).optional(),
  })
  .refine((b) => b.account !== undefined || b.platform !== undefined, {
    message: 'name the account (or the platform) to check against',
    path: ['account'],
  })

export const validateEndpoint: Endpoint = {
  path: '/social/validate',
  method: 'post',
  handler: handle(async (req) => {
    const b = parse(body, await readJson(req))
    requireMember(req, b.tenant)
    if (b.account !== undefined) {
      try {
        const { warnings } = await checkVariants(req.payload, req, {
          tenant: b.tenant,
          variants: [{ account: b.account, text: b.text, thread: b.thread, media: b.media ?? [] }],
          time: 'no',
        })
        return Response.json({ ok: true, issues: warnings })
      } catch (error) {
        if (error instanceof SocialError && error.issues) return Response.json({ ok: false, issues: error.issues })
        throw error
      }
    }
    const platform = b.platform!
    const ids = (b.media ?? []).map(String)
    const { docs } = ids.length
      ? await req.payload.find({
          collection: 'media' as never,
          where: { and: [{ id: { in: ids } }, { tenant: { equals: b.tenant } }] },
          depth: 0,
          limit: ids.length,
          overrideAccess: true,
          req,
        })
      : { docs: [] }
    const found = new Map((docs as Doc[]).map((m) => [String(m.id), m]))
    const name = PLATFORM_RULES[platform].name
    const issues: SocialIssue[] = ids
      .filter((id) => !found.has(id))
      .map((id) => ({
        rule: 'media-missing',
        platform,
        severity: 'error',
        message: `${name}: attachment ${id} is not in this tenant’s media; upload it first or remove it.`,
      }))
    const draft = {
      text: b.text,
      thread: b.thread ?? [],
      media: ids.flatMap((id) => {
        const m = found.get(id)
        return m
          ? [
              {
                mimeType: String(m.mimeType ?? ''),
                filesize: Number(m.filesize ?? 0),
                alt: m.alt,
                filename: m.filename,
              },
            ]
          : []
      }),
    }
    issues.push(
      ...validateVariant(draft, platform),
      ...(socialPlatformOf(req.payload, platform)?.validate?.(draft) ?? []),
    )
    issues.sort((a, c) => (a.severity === c.severity ? 0 : a.severity === 'error' ? -1 : 1))
    return Response.json({ ok: !issues.some((i) => i.severity === 'error'), issues })
  }),
}
