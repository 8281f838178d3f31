/**
 * Fixture for the pack's integration tests: the real CMS (with this pack) on its own seeded
 * PostgreSQL database, and a mock LLM that the real OpenAI and Anthropic SDKs talk to over HTTP.
 */
import type { AnyAgent, RunOptions } from '@bizosaas/agents'
import { type MockLLM, type MockRule, startMockLLM } from '@bizosaas/agents/testing'
import { seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { hostedAgents, type PayloadAgent } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'

export type Doc = Record<string, unknown> & { id: number }

export interface ContentCms {
  cms: TestCms
  payload: Payload
  mock: MockLLM
  /** Tenant ids of the seed, by slug. */
  tenants: { bizoholic: number; coreldove: number }
  /** Run options of a run for `tenant`, with both providers of the default chain on the mock. */
  runOptions: (tenant: number) => RunOptions
  /** The agent as the CMS hosts it (model chain and locales from the config). */
  hosted: (slug: string) => PayloadAgent<AnyAgent>
  /** Replaces the mock's script and forgets earlier requests. */
  script: (...rules: MockRule[]) => void
  /** A document by slug (depth 0, latest version; `locale` without fallback). */
  bySlug: (collection: 'posts' | 'pages', slug: string, options?: { tenant?: number; locale?: string }) => Promise<Doc>
  close: () => Promise<void>
}

export async function startContentCms(label: string): Promise<ContentCms> {
  const [cms, mock] = await Promise.all([startTestCms(label), startMockLLM()])
  const { payload } = cms
  await seed(payload)
  const tenantId = async (slug: string) =>
    (await payload.find({ collection: 'tenants', where: { slug: { equals: slug } }, limit: 1 })).docs[0]!.id as number
  const tenants = { bizoholic: await tenantId('bizoholic'), coreldove: await tenantId('coreldove') }
  return {
    cms,
    payload,
    mock,
    tenants,
    runOptions: (tenant) => ({
      tenant: String(tenant),
      services: { payload },
      providerOptions: {
        openai: { apiKey: 'test', baseURL: mock.openaiBaseURL },
        anthropic: { apiKey: 'test', baseURL: mock.anthropicBaseURL },
      },
      retry: { maxRetries: 0 },
    }),
    hosted: (slug) => {
      const found = hostedAgents(payload).find((hosted) => hosted.agent.slug === slug)
      if (!found) throw new Error(`agent ${slug} is not registered`)
      return found
    },
    script: (...rules) => {
      mock.reset()
      mock.setScript(rules)
    },
    bySlug: async (collection, slug, { tenant, locale } = {}) => {
      const found = await payload.find({
        collection,
        where: { and: [{ slug: { equals: slug } }, ...(tenant ? [{ tenant: { equals: tenant } }] : [])] },
        limit: 1,
        depth: 0,
        draft: true,
        ...(locale ? { locale: locale as 'en', fallbackLocale: false as never } : {}),
      })
      if (!found.docs[0]) throw new Error(`no ${collection} "${slug}"`)
      return found.docs[0] as unknown as Doc
    },
    close: async () => {
      await mock.close()
      await cms.close()
    },
  }
}
