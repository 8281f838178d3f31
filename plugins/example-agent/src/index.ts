/** A complete agent plugin: one tool, one agent, registered through @bizosaas/plugin-agents. */
import { defineAgent, defineTool } from '@bizosaas/agents'
import {
  documentTarget,
  payloadOf,
  readTenantDocument,
  registerAgents,
  requireTenantDocument,
  updateDocument,
} from '@bizosaas/plugin-agents'
import type { Config } from 'payload'
import { z } from 'zod'

export const readPostTool = defineTool({
  id: 'read-post',
  description: 'Reads the title and excerpt of the post to retitle',
  input: z.object({ id: z.union([z.number(), z.string()]).describe('Post id') }),
  execute: async ({ id }, { services, tenant }) => {
    // Only a post of the run's tenant; anything else is a message the model can act on.
    const found = await readTenantDocument(payloadOf(services), { collection: 'posts', id }, tenant)
    if (found.error !== undefined) return { isError: true as const, message: found.error }
    return { title: found.doc.title, excerpt: found.doc.excerpt ?? '' }
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
  // Tenant-checked, marked as the agent's own write (no trigger fires on it); idempotent.
  apply: async ({ title }, { input, services, tenant }) => {
    await updateDocument(payloadOf(services), input.target, tenant, { title })
  },
})

export const exampleAgentPlugin = () => (config: Config) =>
  registerAgents(config, [
    {
      agent: postTitleAgent,
      targets: ['posts'],
      // Shown beside the proposal when a person reviews it.
      current: async ({ payload, input, tenant }) => ({
        title: (await requireTenantDocument(payload, input.target, tenant)).title,
      }),
    },
  ])
