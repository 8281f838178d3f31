/**
 * Fixture for the pack's integration tests: a real Medusa on a copy of the seeded commerce database,
 * the real CMS (with this pack and the Medusa bridge, authenticated with a secret admin key) on its
 * own seeded PostgreSQL database, and a mock LLM that the real OpenAI and Anthropic SDKs talk to.
 * CoreLDove's products get product-content documents, as the product sync would make them.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AnyAgent, RunOptions } from '@bizosaas/agents'
import { type MockLLM, type MockRule, startMockLLM } from '@bizosaas/agents/testing'
import { seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { startTestCommerce, type TestCommerce } from '@bizosaas/commerce/test'
import { hostedAgents, type PayloadAgent } from '@bizosaas/plugin-agents'
import { createMedusaClient, type HttpTypes, type MedusaClient, PRODUCT_CONTENT } from '@bizosaas/plugin-medusa'
import { DEMO_MEDUSA_ADMIN, ensureSecretApiKey } from '@bizosaas/scripts/commerce'
import type { Payload } from 'payload'
import { listChannelProducts } from '../catalog.ts'

export type Doc = Record<string, unknown> & { id: number }

export interface CommerceCms {
  commerce: TestCommerce
  cms: TestCms
  payload: Payload
  mock: MockLLM
  /** The Medusa admin client (secret key) the CMS uses. */
  medusa: MedusaClient
  /** Tenant ids of the seed, by slug. */
  tenants: { bizoholic: number; coreldove: number }
  /** CoreLDove's product-content documents, by Medusa product id. */
  content: Map<string, Doc>
  /** Run options of a run for `tenant`, with both providers of the default chain on the mock. */
  runOptions: (tenant: number) => RunOptions
  /** The agent as the CMS hosts it. */
  hosted: (slug: string) => PayloadAgent<AnyAgent>
  /** Replaces the mock's script and forgets earlier requests. */
  script: (...rules: MockRule[]) => void
  /** A product through the store API with CoreLDove's publishable key, as the storefront sees it. */
  storeProduct: (handle: string) => Promise<HttpTypes.StoreProduct | undefined>
  close: () => Promise<void>
}

export async function startCommerceCms(label: string): Promise<CommerceCms> {
  const [commerce, mock, keyDir] = await Promise.all([
    startTestCommerce(label),
    startMockLLM(),
    mkdtemp(path.join(tmpdir(), 'bizosaas-medusa-key-')),
  ])
  const { token } = await ensureSecretApiKey({
    url: commerce.url,
    ...DEMO_MEDUSA_ADMIN,
    file: path.join(keyDir, 'secret-key'),
  })
  const cms = await startTestCms(label, { medusa: { url: commerce.url, apiKey: token } })
  const { payload } = cms
  await seed(payload)
  const tenantId = async (slug: string) =>
    (await payload.find({ collection: 'tenants', where: { slug: { equals: slug } }, limit: 1 })).docs[0]!.id as number
  const tenants = { bizoholic: await tenantId('bizoholic'), coreldove: await tenantId('coreldove') }
  for (const slug of ['bizoholic', 'coreldove'] as const) {
    const link = commerce.tenants[slug]!
    await payload.update({
      collection: 'tenants',
      id: tenants[slug],
      data: { commerce: { salesChannelId: link.salesChannelId, publishableKey: link.publishableKey } } as never,
      overrideAccess: true,
    })
  }

  const medusa = createMedusaClient({ url: commerce.url, apiKey: token })
  const content = new Map<string, Doc>()
  for (const product of await listChannelProducts(medusa, commerce.tenants.coreldove!.salesChannelId)) {
    const doc = await payload.create({
      collection: PRODUCT_CONTENT as never,
      overrideAccess: true,
      data: {
        tenant: tenants.coreldove,
        title: product.title,
        medusaProductId: product.id,
        handle: product.handle,
        status: 'published',
        medusaDescription: product.description,
        thumbnail: product.thumbnail,
      } as never,
    })
    content.set(product.id, doc as unknown as Doc)
  }

  return {
    commerce,
    cms,
    payload,
    mock,
    medusa,
    tenants,
    content,
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
    storeProduct: async (handle) => {
      const res = await fetch(`${commerce.url}/store/products?handle=${encodeURIComponent(handle)}`, {
        headers: { 'x-publishable-api-key': commerce.tenants.coreldove!.publishableKey },
      })
      if (!res.ok) throw new Error(`store API: ${res.status} ${await res.text()}`)
      return ((await res.json()) as { products: HttpTypes.StoreProduct[] }).products[0]
    },
    close: async () => {
      await mock.close()
      await cms.close()
      await commerce.close()
      await rm(keyDir, { recursive: true, force: true })
    },
  }
}
