/** `list-social-accounts`: the chosen accounts with their platform's rules and the link each carries. */
import { defineTool } from '@bizosaas/agents'
import { payloadOf, tenantRef } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { activeAccountIds, rulesSummary, tenantAccounts, variantLink } from '../agents/accounts.ts'

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
      .optional()
      .describe('The account ids given in the task; leave out to list every active account of the tenant'),
    url: z.string().nullable().optional().describe('The source URL read-social-source returned (null: none)'),
    campaign: z.string().trim().min(1).max(80).default('social').describe('The campaign read-social-source returned'),
  }),
  output: z.object({
    accounts: z.array(
      z.object({
        id: z.union([z.number(), z.string()]).describe('Account id: copy it into the variant'),
        platform: z.string().describe('Platform id: copy it into the variant'),
        name: z.string(),
        handle: z.string().nullable(),
        link: z
          .string()
          .nullable()
          .describe('Put this exact link in the text (not on Instagram, where links do not work)'),
        rules: z.record(z.string(), z.unknown()).describe("The platform's rules"),
      }),
    ),
  }),
  execute: async ({ accounts: ids, url, campaign }, ctx) => {
    const payload = payloadOf(ctx.services)
    const tenant = tenantRef(ctx.tenant)
    const { accounts, missing } = await tenantAccounts(
      payload,
      tenant,
      ids ?? (await activeAccountIds(payload, tenant)),
    )
    if (!accounts.length && !missing.length)
      return { isError: true, message: 'This tenant has no active social account; connect one under Social first.' }
    if (missing.length)
      return {
        isError: true,
        message: `No social account ${missing.join(', ')} in this tenant; use the ids given in the task.`,
      }
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
