/** A complete agent plugin: one tool, one agent, registered through @bizosaas/plugin-agents. */
import { defineAgent, defineTool } from '@bizosaas/agents'
import { documentTarget, registerAgents } from '@bizosaas/plugin-agents'
import type { Config } from 'payload'
import { z } from 'zod'

export const readPostTool = defineTool({
  id: 'read-post',
  description: 'Reads the title and excerpt of the post to retitle',
  input: z.object({ id: z.union([z.number(), z.string()]).describe('Post id') }),
  execute: async ({ id }, { services, tenant }) => {
    const post = await services.payload!.findByID({ collection: 'posts', id, depth: 0, disableErrors: true })
    if (!post || String(typeof post.tenant === 'object' ? post.tenant?.id : post.tenant) !== tenant)
      return { isError: true as const, message: `No post ${id} in this tenant` }
    return { title: post.title, excerpt: post.excerpt ?? '' }
  },
})

export const postTitleAgent = defineAgent({
  slug: 'post-title',
  description: 'Proposes a clearer, more specific title for a post',
  input: z.object({ target: documentTarget(['posts']), feedback: z.string().optional().describe('Reviewer feedback') }),
  output: z.object({ title: z.string().min(10).max(70).describe('The new title, 10–70 characters') }),
  instructions: 'You retitle blog posts: specific, plain words, no clickbait. Read the post first.',
  prompt: (input) => `Retitle post ${input.target.id}.${input.feedback ? ` Reviewer feedback: ${input.feedback}` : ''}`,
  tools: [readPostTool],
  model: 'openai:gpt-4.1-mini',
  approval: true,
  apply: async ({ title }, { input, services }) => {
    await services.payload!.update({
      collection: 'posts',
      id: input.target.id,
      data: { title },
      context: { agentsApplying: true },
    })
  },
})

export const exampleAgentPlugin = () => (config: Config) =>
  registerAgents(config, [
    {
      agent: postTitleAgent,
      targets: ['posts'],
      // Shown beside the proposal when a person reviews it.
      current: async ({ payload, input }) => ({
        title: (await payload.findByID({ collection: 'posts', id: input.target.id })).title,
      }),
    },
  ])
