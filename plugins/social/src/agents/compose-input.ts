/**
 * What `social-compose` takes: a source, the accounts, and optionally a time and a campaign. Its own file
 * so the auto-draft triggers (which build it) and the agent (which reads it) need not import each other.
 */
import { z } from 'zod'
import { sourceInput } from './sources.ts'

export const accountId = z.union([z.number().int().positive(), z.string().trim().min(1)])

export const socialComposeInput = z.object({
  source: sourceInput,
  accounts: z.array(accountId.describe('A social-accounts id')).min(1).max(20).describe('Accounts to post to'),
  scheduledAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When to publish (ISO 8601); without it the post waits for a person to pick a time'),
  campaign: z.string().trim().min(1).max(80).optional().describe('UTM campaign; default: the source’s slug'),
  feedback: z.string().trim().max(2000).optional().describe('What a person asked to change in an earlier draft'),
})
export type SocialComposeInput = z.output<typeof socialComposeInput>
