/**
 * Fixture for the social agent pack's integration tests: the real CMS (with the social plugin and this
 * pack) on its own seeded PostgreSQL database, three connected social accounts of Bizoholic (X, LinkedIn,
 * Bluesky), and a mock LLM the real OpenAI and Anthropic SDKs talk to over HTTP.
 */
import type { RunOptions } from '@bizosaas/agents'
import { type MockLLM, type MockRequest, type MockRule, startMockLLM } from '@bizosaas/agents/testing'
import { seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { startAgentsWorker } from '@bizosaas/plugin-agents'
import { agentQueueOf, pluginConfigOf } from '@bizosaas/plugin-agents/testing'
import type { Payload } from 'payload'
import { SERVICE_WRITE } from '../../collections/fields.ts'
import { SOCIAL_ACCOUNTS, SOCIAL_POSTS, SOCIAL_VARIANTS } from '../../constants.ts'
import { stopSocialBoss } from '../../worker/schedule.ts'

export type Doc = Record<string, unknown> & { id: number }

export interface SocialAgentsCms {
  cms: TestCms
  payload: Payload
  mock: MockLLM
  tenants: { bizoholic: number; coreldove: number }
  /** Bizoholic's accounts by platform. */
  accounts: { x: Doc; linkedin: Doc; bluesky: Doc }
  /** Bizoholic's seeded blog post "five-seo-fixes". */
  post: Doc
  runOptions: (tenant: number) => RunOptions
  script: (...rules: MockRule[]) => void
  /** Posts an agent run made, with their variants (depth 0). */
  postsOfRun: (runId: string) => Promise<(Doc & { variants: Doc[] })[]>
  close: () => Promise<void>
}

/** The parsed result of the first earlier tool call whose JSON has `key`. */
export function toolResult<T>(request: MockRequest, key: string): T {
  for (const result of request.toolResults) {
    try {
      const parsed = JSON.parse(result.content) as Record<string, unknown>
      if (parsed && typeof parsed === 'object' && key in parsed) return parsed as T
    } catch {}
  }
  throw new Error(`no tool result with "${key}" in the request`)
}

/**
 * `worker: true` also runs the agents worker in this process, its model calls going to the mock (the
 * providers' base URLs from the environment), as `pnpm dev` runs agents offline.
 */
export async function startSocialAgentsCms(
  label: string,
  options: { worker?: boolean } = {},
): Promise<SocialAgentsCms> {
  const mock = await startMockLLM()
  if (options.worker)
    Object.assign(process.env, {
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: mock.openaiBaseURL,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: mock.anthropicBaseURL,
    })
  const cms = await startTestCms(label, options.worker ? { agents: { queue: { policy: { retryLimit: 0 } } } } : {})
  const { payload } = cms
  await seed(payload)
  const worker = options.worker ? await startAgentsWorker(payload, { concurrency: 2 }) : undefined
  const tenantId = async (slug: string) =>
    (await payload.find({ collection: 'tenants', where: { slug: { equals: slug } }, limit: 1 })).docs[0]!.id as number
  const tenants = { bizoholic: await tenantId('bizoholic'), coreldove: await tenantId('coreldove') }
  const account = async (platform: 'x' | 'linkedin' | 'bluesky', name: string) => {
    const connection = await payload.create({
      collection: 'connections' as never,
      data: { tenant: tenants.bizoholic, connector: platform, name, status: 'connected' } as never,
      overrideAccess: true,
    })
    return (await payload.create({
      collection: SOCIAL_ACCOUNTS as never,
      data: {
        tenant: tenants.bizoholic,
        platform,
        connection: (connection as unknown as Doc).id,
        targetId: `${platform}-bizoholic`,
        targetType: platform === 'linkedin' ? 'organization' : 'profile',
        name,
        handle: platform === 'linkedin' ? null : `@bizoholic`,
        active: true,
      } as never,
      overrideAccess: true,
      // As the accounts endpoint adds them once it checked the connection can post as the target.
      context: { [SERVICE_WRITE]: true },
    })) as unknown as Doc
  }
  const accounts = {
    x: await account('x', 'Bizoholic on X'),
    linkedin: await account('linkedin', 'Bizoholic'),
    bluesky: await account('bluesky', 'Bizoholic on Bluesky'),
  }
  const post = (
    await payload.find({
      collection: 'posts',
      where: { and: [{ slug: { equals: 'five-seo-fixes' } }, { tenant: { equals: tenants.bizoholic } }] },
      limit: 1,
      depth: 0,
    })
  ).docs[0] as unknown as Doc
  return {
    cms,
    payload,
    mock,
    tenants,
    accounts,
    post,
    runOptions: (tenant) => ({
      tenant: String(tenant),
      services: { payload },
      providerOptions: {
        openai: { apiKey: 'test', baseURL: mock.openaiBaseURL },
        anthropic: { apiKey: 'test', baseURL: mock.anthropicBaseURL },
      },
      retry: { maxRetries: 0 },
    }),
    script: (...rules) => {
      mock.reset()
      mock.setScript(rules)
    },
    postsOfRun: async (runId) => {
      const posts = await payload.find({
        collection: SOCIAL_POSTS as never,
        where: { 'origin.run': { equals: runId } },
        depth: 0,
        limit: 50,
        sort: 'createdAt',
        overrideAccess: true,
      })
      const result = []
      for (const doc of posts.docs as unknown as Doc[]) {
        const variants = await payload.find({
          collection: SOCIAL_VARIANTS as never,
          where: { post: { equals: doc.id } },
          depth: 0,
          limit: 50,
          sort: 'id',
          overrideAccess: true,
        })
        result.push({ ...doc, variants: variants.docs as unknown as Doc[] })
      }
      return result
    },
    close: async () => {
      await worker?.stop({ graceMs: 2_000 })
      // Triggers queued runs through this process's agent queue: stop it before its database goes.
      await agentQueueOf(payload, pluginConfigOf(payload))
        .stop({ graceMs: 1_000 })
        .catch(() => {})
      await stopSocialBoss(payload)
      await mock.close()
      await cms.close()
    },
  }
}
