/** `list-social-accounts`: the chosen accounts with their platform's rules and the link each carries. */
import { defineTool } from '@bizosaas/agents'
import { payloadOf, tenantRef } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { rulesSummary, tenantAccounts, variantLink } from '../agents/accounts.ts'

export const LIST_ACCOUNTS_TOOL = 'list-social-accounts'

export const listSocialAccountsTool = defineTool({
  id: LIST_ACCOUNTS_TOOL,
  description:
    "Lists the social accounts to post to, each with its platform's rules (character limit and how it counts, threads, hashtags, alt text) and the exact link its text must carry (with UTM parameters; null: no link). Write one variant per account.",
  input: z.object({
    accounts: z
      .array(z.union([z.number().int().positive(), z.string().min(1)]).describe('A social-accounts id'))
      .min(1)
      .max(20)
      .describe('The account ids given in the task'),
    url: z.string().nullable().optional().describe('The source URL read-social-source returned (null: none)'),
    campaign: z.string().trim().min(1).max(80).describe('The campaign read-social-source returned'),
  }),
  output: z.object({
    accounts: z.array(
      z.object({
        id: z.union([z.number(), z.string()]).describe('Account id: copy it into the variant'),
        platform: z.string().describe('Platform id: copy it into the variant'),
        name: z.string(),
        handle: z.string().nullable(),
        link: z.string().nullable().describe('Put this exact link in the text (not on Instagram, where links do not work)'),
        rules: z.record(z.string(), z.unknown()).describe("The platform's rules"),
      }),
    ),
  }),
  execute: async ({ accounts: ids, url, campaign }, ctx) => {
    const payload = payloadOf(ctx.services)
    const { accounts, missing } = await tenantAccounts(payload, tenantRef(ctx.tenant), ids)
    if (missing.length)
      return { isError: true, message: `No social account ${missing.join(', ')} in this tenant; use the ids given in the task.` }
    const inactive = accounts.filter((a) => !a.active)
    if (inactive.length)
      return {
        isError: true,
        message: `Account ${inactive.map((a) => `${a.id} (${a.name})`).join(', ')} is switched off; it cannot be posted to.`,
      }
    return {
      accounts: accounts.map((account) => ({
        id: account.id,
        platform: account.platform,
        name: account.name,
        handle: account.handle,
        link: account.platform === 'instagram' ? null : variantLink(url ?? null, account, campaign),
        rules: rulesSummary(account.platform),
      })),
    }
  },
})
