/**
 * POST /api/revalidate — called by Payload (content hooks) and Medusa (product subscriber) with the
 * shared REVALIDATE_SECRET as a bearer token; expires the given cache tags at once. The call (path, body,
 * tag format) is @bizosaas/contracts/storefront-revalidate.
 *
 *   curl -X POST -H "authorization: Bearer $REVALIDATE_SECRET" -H 'content-type: application/json' \
 *        -d '{"tags":["products:coreldove"]}' http://localhost:3000/api/revalidate
 */
import { timingSafeEqual } from 'node:crypto'
import { MAX_REVALIDATE_TAGS, REVALIDATE_TAG } from '@bizosaas/contracts/storefront-revalidate'
import { refusalResponse } from '@bizosaas/plugin-rate-limit/core'
import { storefrontEnv } from '@lib/env'
import { dropHostTable } from '@lib/host-table'
import { consumePerIp, storefrontLimits } from '@lib/rate-limits'
import { revalidateTag } from 'next/cache'
import { z } from 'zod'

const bodySchema = z.object({
  tags: z
    .array(z.string().regex(REVALIDATE_TAG, 'tags are lower-case letters, digits, ":", "_" and "-"'))
    .min(1, 'give at least one tag')
    .max(MAX_REVALIDATE_TAGS, `give at most ${MAX_REVALIDATE_TAGS} tags`),
})

function authorised(header: string | null, secret: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '')
  const expected = Buffer.from(secret)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export async function POST(request: Request) {
  // Before the secret is checked, so guessing it is limited too.
  const refused = await consumePerIp(storefrontLimits().revalidate, request.headers)
  if (refused) return refusalResponse(refused)
  const secret = storefrontEnv().REVALIDATE_SECRET
  if (!secret)
    return Response.json({ error: 'Revalidation is not configured (REVALIDATE_SECRET is unset)' }, { status: 503 })
  if (!authorised(request.headers.get('authorization'), secret))
    return Response.json({ error: 'Missing or wrong bearer token' }, { status: 401 })
  let json: unknown
  try {
    json = await request.json()
  } catch {
    return Response.json({ error: 'The body must be JSON like {"tags":["products:coreldove"]}' }, { status: 400 })
  }
  const parsed = bodySchema.safeParse(json)
  if (!parsed.success)
    return Response.json(
      { error: 'Invalid body', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
      { status: 400 },
    )
  const tags = [...new Set(parsed.data.tags)]
  for (const tag of tags) revalidateTag(tag, { expire: 0 })
  if (tags.some((t) => t === 'tenants' || t === 'cms' || t === 'regions' || t.startsWith('regions:'))) dropHostTable()
  return Response.json({ revalidated: tags, at: new Date().toISOString() })
}
