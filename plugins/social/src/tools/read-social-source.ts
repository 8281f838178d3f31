/** `read-social-source`: the blog post, page, product or brief a social post is made from. */
import { defineTool } from '@bizosaas/agents'
import { payloadOf, tenantRef } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { readSource, sourceInput } from '../agents/sources.ts'

export const READ_SOURCE_TOOL = 'read-social-source'

export const readSocialSourceTool = defineTool({
  id: READ_SOURCE_TOOL,
  description:
    'Reads what the social post is made from (a blog post, a page, a product or a brief): title, summary, text, its public URL (link to it; null when there is none), the UTM campaign, and its image with the alt text it has. Read it before writing; facts in a post may only come from here.',
  input: z.object({
    source: sourceInput,
    campaign: z.string().trim().max(80).optional().describe('The campaign given in the task, if any'),
  }),
  output: z.object({
    kind: z.string().describe('post, page, product or brief'),
    title: z.string().describe('Title of the source'),
    summary: z.string().describe('Its excerpt or meta description ("" when none)'),
    text: z.string().describe('Its text, one paragraph per line'),
    url: z.string().nullable().describe('Its public page without UTM; null: the post has no link'),
    campaign: z.string().describe('UTM campaign of the post'),
    published: z.boolean().describe('Whether the source is published (a draft has no public page yet)'),
    image: z
      .object({ alt: z.string().describe('Alt text the image has'), mimeType: z.string() })
      .nullable()
      .describe('The image variants attach; null when none'),
  }),
  execute: async ({ source, campaign }, ctx) => {
    const payload = payloadOf(ctx.services)
    const found = await readSource(payload, tenantRef(ctx.tenant), source, campaign)
    if (found.error !== undefined) return { isError: true, message: found.error }
    const { content } = found
    return {
      kind: content.kind,
      title: content.title,
      summary: content.summary,
      text: content.text,
      url: content.url,
      campaign: content.campaign,
      published: content.published,
      image: content.image ? { alt: content.image.alt, mimeType: content.image.mimeType } : null,
    }
  },
})
