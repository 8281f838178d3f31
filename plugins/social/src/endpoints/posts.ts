/**
 * `POST /api/social/posts` (a post with a variant per account) and
 * `POST /api/social/posts/:id/submit|approve|reject|reschedule|unschedule` — the service's steps over
 * HTTP, for the tenant's managers and admins. Every body names its tenant; the post must belong to it.
 */
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { requireEditor } from '../access.ts'
import {
  approveSocialPost,
  createSocialPost,
  type PostWithVariants,
  rejectSocialPost,
  rescheduleSocialPost,
  submitSocialPost,
  unscheduleSocialPost,
} from '../posts.ts'
import { dateSchema, handle, idSchema, parse, readJson, routeId, tenantSchema } from './http.ts'

const variantSchema = z.object({
  account: idSchema('account').describe('The social account posted as'),
  text: z.string().max(20_000),
  thread: z.array(z.string().max(20_000)).max(50).optional().describe('The parts after the first'),
  media: z.array(idSchema('media')).max(20).optional().describe('Media ids; absent: the post’s media'),
})

const createBody = z.object({
  tenant: tenantSchema,
  title: z.string().trim().min(1, 'give the post a title').max(200),
  scheduledAt: dateSchema.nullish(),
  campaign: z.string().trim().max(100).nullish(),
  link: z.string().trim().max(2000).nullish(),
  source: z
    .object({
      kind: z.enum(['post', 'page', 'product', 'brief', 'none']).optional(),
      id: z.string().max(100).nullish(),
      brief: z.string().max(20_000).nullish(),
    })
    .optional(),
  media: z.array(idSchema('media')).max(20).optional(),
  variants: z.array(variantSchema).min(1, 'choose at least one social account').max(30),
  status: z.enum(['draft', 'awaiting-approval', 'scheduled']).optional(),
})

const answer = (result: PostWithVariants, status = 200) =>
  Response.json({ post: result.post, variants: result.variants, warnings: result.warnings }, { status })

export const createPostEndpoint: Endpoint = {
  path: '/social/posts',
  method: 'post',
  handler: handle(async (req) => {
    const body = parse(createBody, await readJson(req))
    await requireEditor(req, body.tenant)
    return answer(await createSocialPost(req.payload, { ...body, user: req.user, req }), 201)
  }),
}

const tenantBody = z.object({ tenant: tenantSchema })

function transition<S extends z.ZodObject>(
  action: string,
  schema: S,
  run: (req: PayloadRequest, post: number, body: z.infer<S>) => Promise<PostWithVariants>,
): Endpoint {
  return {
    path: `/social/posts/:id/${action}`,
    method: 'post',
    handler: handle(async (req) => {
      const post = routeId(req)
      const body = parse(schema, await readJson(req))
      await requireEditor(req, (body as { tenant: number }).tenant)
      return answer(await run(req, post, body))
    }),
  }
}

export const postTransitionEndpoints: Endpoint[] = [
  transition('submit', tenantBody, (req, post, { tenant }) =>
    submitSocialPost(req.payload, { tenant, post, user: req.user, req }),
  ),
  transition('approve', tenantBody, (req, post, { tenant }) =>
    approveSocialPost(req.payload, { tenant, post, user: req.user, req }),
  ),
  transition('reject', tenantBody.extend({ note: z.string().trim().max(2000).optional() }), (req, post, body) =>
    rejectSocialPost(req.payload, { tenant: body.tenant, post, note: body.note, user: req.user, req }),
  ),
  transition('reschedule', tenantBody.extend({ scheduledAt: dateSchema }), (req, post, body) =>
    rescheduleSocialPost(req.payload, {
      tenant: body.tenant,
      post,
      scheduledAt: body.scheduledAt,
      user: req.user,
      req,
    }),
  ),
  transition('unschedule', tenantBody, (req, post, { tenant }) =>
    unscheduleSocialPost(req.payload, { tenant, post, user: req.user, req }),
  ),
]
