import { defineAgent } from '@bizosaas/agents'
import {
  APPLY_CONTEXT,
  type DocumentData,
  type Id,
  type PayloadAgent,
  payloadOf,
  sameContent,
  tenantRef,
} from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'
import { z } from 'zod'
import { EXCERPT_MAX } from '../constants.ts'
import { DEFAULT_MODELS } from '../defaults.ts'
import { feedbackField, feedbackLines } from '../inputs.ts'
import { lexicalFromSections } from '../lexical.ts'
import { localeSettings } from '../locales.ts'
import { freeSlug, slugify, slugOfTitle } from '../slug.ts'
import { searchPostsTool } from '../tools/search-posts.ts'
import type { ContentAgentOptions } from '../types.ts'

const LENGTHS = {
  short: '400 to 600 words in 2 or 3 sections',
  medium: '800 to 1,200 words in 3 to 5 sections',
  long: '1,500 to 2,000 words in 5 to 8 sections',
} as const

export const blogDraftInput = z.object({
  topic: z.string().trim().min(3).max(300).describe('What the post is about'),
  audience: z.string().trim().min(2).max(300).describe('Who the post is for, e.g. "owners of small online shops"'),
  tone: z.string().trim().min(2).max(100).describe('Voice of the post, e.g. "friendly and practical"'),
  length: z
    .enum(['short', 'medium', 'long'])
    .describe(`short: ${LENGTHS.short}; medium: ${LENGTHS.medium}; long: ${LENGTHS.long}`),
  keywords: z
    .array(z.string().trim().min(2).max(60).describe('A search phrase'))
    .max(10)
    .default([])
    .describe('Search phrases the post should rank for'),
  feedback: feedbackField(),
})

export const blogDraftOutput = z.object({
  title: z.string().trim().min(10).max(100).describe('Title of the post, at most 100 characters'),
  excerpt: z
    .string()
    .trim()
    .min(40)
    .max(EXCERPT_MAX)
    .describe(`Summary shown in post lists: 1 to 3 sentences, at most ${EXCERPT_MAX} characters`),
  sections: z
    .array(
      z.object({
        heading: z.string().trim().min(2).max(120).describe('Section heading (becomes an h2)'),
        paragraphs: z
          .array(z.string().trim().min(1).max(3000).describe('One paragraph of plain text, no markdown'))
          .min(1)
          .max(12)
          .describe("The section's paragraphs"),
      }),
    )
    .min(1)
    .max(12)
    .describe('The body, section by section'),
  keywords: z.array(z.string().trim().min(2).max(60)).max(10).describe('Search phrases the post targets'),
})

export type BlogDraft = z.output<typeof blogDraftOutput>

const INSTRUCTIONS = `You are a content writer drafting blog posts for a business website. An editor reviews every draft before it is saved.
1. Call search-posts with the topic's main words to see what the site already published; do not repeat an existing post, and take a fresh angle if one is close.
2. Answer with JSON: title, excerpt, sections (each a heading and its paragraphs) and keywords.
Write for the audience in the requested tone, use the keywords naturally (never stuffed), and keep paragraphs short (2 to 4 sentences). Plain text only: no markdown, no headings inside paragraphs. Do not invent statistics, quotes or customer names.`

interface DraftPost {
  id: Id
  slug: string
}

/** Posts of the tenant with this exact title (drafts included), in the default locale. */
async function postsTitled(payload: Payload, tenant: Id, title: string, locale: string | undefined) {
  const found = await payload.find({
    collection: 'posts' as never,
    where: { and: [{ tenant: { equals: tenant } }, { title: { equals: title } }] },
    depth: 0,
    limit: 50,
    draft: true,
    overrideAccess: true,
    ...(locale ? { locale: locale as never, fallbackLocale: false as never } : {}),
  })
  return found.docs as unknown as DocumentData[]
}

/** Slugs of the tenant's posts that start like `base`. */
async function slugsLike(payload: Payload, tenant: Id, base: string): Promise<Set<string>> {
  const found = await payload.find({
    collection: 'posts' as never,
    where: { and: [{ tenant: { equals: tenant } }, { slug: { like: base } }] },
    depth: 0,
    limit: 0,
    pagination: false,
    draft: true,
    overrideAccess: true,
    select: { slug: true } as never,
  })
  return new Set(found.docs.map((doc) => String((doc as unknown as { slug: string }).slug)))
}

/**
 * Creates the draft post once. A retried apply (a crash after the post was written, before the run
 * was marked applied) finds that post again — same tenant, same title, a slug made from that title
 * and the very same body — instead of creating a second one; posts carry no run id to look up.
 */
async function createDraftPost(
  payload: Payload,
  draft: BlogDraft,
  tenant: Id,
): Promise<DraftPost & { created: boolean }> {
  const locale = localeSettings(payload.config.localization)?.defaultLocale
  const content = lexicalFromSections(draft.sections)
  const base = slugify(draft.title) || 'post'
  const earlier = (await postsTitled(payload, tenant, draft.title, locale)).find(
    (post) => slugOfTitle(String(post.slug), base) && sameContent(post.content, content),
  )
  if (earlier) return { id: earlier.id, slug: String(earlier.slug), created: false }

  const data = {
    title: draft.title,
    excerpt: draft.excerpt,
    content,
    tenant,
    _status: 'draft',
    seo: { keywords: draft.keywords },
  }
  // Two drafts with one title at once can race for a slug: take the next free one and try again.
  for (let attempt = 0; ; attempt++) {
    const slug = freeSlug(base, await slugsLike(payload, tenant, base))
    try {
      const post = (await payload.create({
        collection: 'posts' as never,
        data: { ...data, slug } as never,
        draft: true,
        depth: 0,
        overrideAccess: true,
        context: { ...APPLY_CONTEXT },
        ...(locale ? { locale: locale as never } : {}),
      })) as unknown as DraftPost
      return { id: post.id, slug: post.slug, created: true }
    } catch (error) {
      if (attempt >= 2 || (await slugsLike(payload, tenant, base)).has(slug) === false) throw error
    }
  }
}

/** The `blog-draft` agent: a post draft from a brief, created as a draft post after approval. */
export function createBlogDraftAgent(options: ContentAgentOptions = {}) {
  return defineAgent({
    slug: 'blog-draft',
    description: 'Drafts a blog post (title, excerpt, sections) from a brief and saves it as a draft post',
    input: blogDraftInput,
    output: blogDraftOutput,
    instructions: INSTRUCTIONS,
    prompt: (input) =>
      [
        `Draft a blog post about: ${input.topic}`,
        `Audience: ${input.audience}`,
        `Tone: ${input.tone}`,
        `Length: ${LENGTHS[input.length]}`,
        `Keywords: ${input.keywords.length ? input.keywords.join(', ') : '(choose them yourself)'}`,
        ...feedbackLines(input.feedback),
      ].join('\n'),
    tools: [searchPostsTool],
    model: options.models ?? DEFAULT_MODELS,
    approval: true,
    maxSteps: 6,
    timeoutMs: 300_000,
    /** Creates the draft post in the run's tenant (h2 headings and paragraphs as Lexical rich text); idempotent. */
    apply: async (output, ctx) => {
      const post = await createDraftPost(payloadOf(ctx.services), output, tenantRef(ctx.tenant))
      return { collection: 'posts' as const, ...post }
    },
  })
}

export const blogDraftAgent = createBlogDraftAgent()

/** `blog-draft` hosted in Payload: started from a brief (no target document). */
export function blogDraftPayloadAgent(
  options: ContentAgentOptions = {},
): PayloadAgent<ReturnType<typeof createBlogDraftAgent>> {
  return {
    agent: createBlogDraftAgent(options),
    label: 'Blog draft',
    // Nothing exists yet to compare with: review shows the proposal alone.
    current: async () => null,
  }
}
