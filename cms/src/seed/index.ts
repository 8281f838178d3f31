/**
 * Idempotent demo seed. Creates what is missing and leaves what exists alone (an editor may have
 * changed demo content on purpose), so running it twice yields the same documents.
 */
import { convertMarkdownToLexical, editorConfigFactory } from '@payloadcms/richtext-lexical'
import type { CollectionSlug, Payload, Where } from 'payload'
import { DEMO_PASSWORD, type SeedTenant, superAdmin, tenants } from './data.ts'
import { renderSeedImage } from './images.ts'
import { seedSocial } from './social.ts'

export { DEMO_PASSWORD, type SeedTenant, superAdmin, tenants } from './data.ts'

export interface SeedReport {
  created: Record<string, number>
  existing: Record<string, number>
}

/** Payload's PostgreSQL adapter uses serial ids. */
type Id = number

export async function seed(payload: Payload, log: (msg: string) => void = () => {}): Promise<SeedReport> {
  const report: SeedReport = { created: {}, existing: {} }
  const editorConfig = await editorConfigFactory.default({ config: payload.config })
  const lexical = (markdown: string) => convertMarkdownToLexical({ editorConfig, markdown })

  /** Finds the first document matching `where`, or creates it from `make()`. */
  async function ensure(collection: CollectionSlug, where: Where, make: () => Promise<{ id: Id }>): Promise<Id> {
    const found = await payload.find({ collection, where, limit: 1, depth: 0, draft: true, pagination: false })
    const existing = found.docs[0] as { id: Id } | undefined
    if (existing) {
      report.existing[collection] = (report.existing[collection] ?? 0) + 1
      return existing.id
    }
    const doc = await make()
    report.created[collection] = (report.created[collection] ?? 0) + 1
    return doc.id
  }

  await ensure('users', { email: { equals: superAdmin.email } }, () =>
    payload.create({
      collection: 'users',
      data: { ...superAdmin, password: DEMO_PASSWORD, roles: ['super-admin'] },
    }),
  )

  const seeded: Id[] = []
  for (const tenant of tenants) {
    seeded.push(await seedTenant(tenant))
    log(`seeded ${tenant.name}`)
  }
  // `pnpm dev` hands the seed its mock webhook receiver: the first tenant's run and approval events arrive
  // there (printed by `pnpm mock-services`), so the webhooks page has an endpoint and a delivery log.
  const demoWebhook = process.env.DEMO_WEBHOOK_URL
  if (demoWebhook && seeded[0] !== undefined) {
    const tenant = seeded[0]
    await ensure(
      'webhook-endpoints' as CollectionSlug,
      inTenantOf(tenant, { url: { equals: demoWebhook } }),
      () =>
        payload.create({
          collection: 'webhook-endpoints' as CollectionSlug,
          data: {
            tenant,
            url: demoWebhook,
            description: 'Demo: the mock webhook receiver of `pnpm dev` (it prints each delivery)',
            events: ['run.finished', 'approval.waiting'],
            enabled: true,
          } as never,
        }) as Promise<{ id: Id }>,
    )
  }
  // `pnpm dev` with its mock services: the first tenant's Mastodon and Bluesky accounts (on the mocks) and
  // demo posts — one publishes a few minutes after the seed, one waits for approval in the calendar.
  const first = tenants[0]
  if (process.env.DEMO_SOCIAL === 'mock' && seeded[0] !== undefined && first) {
    const blog = (
      await payload.find({
        collection: 'posts',
        where: inTenantOf(seeded[0], { _status: { equals: 'published' } }),
        sort: 'createdAt',
        limit: 1,
        depth: 0,
      })
    ).docs[0]
    if (blog) {
      const created = await seedSocial(payload, {
        tenant: seeded[0],
        origin: `https://${first.domains[0]}`,
        blogPost: { id: blog.id, slug: String(blog.slug), title: blog.title },
      })
      if (created) report.created['social-posts'] = created
      log(`seeded ${first.name}'s social accounts (mock Mastodon and Bluesky) and demo posts`)
    }
  }
  return report

  function inTenantOf(tenant: Id, where: Where): Where {
    return { and: [{ tenant: { equals: tenant } }, where] }
  }

  async function seedTenant(t: SeedTenant): Promise<Id> {
    const tenantId = await ensure('tenants', { slug: { equals: t.slug } }, () =>
      payload.create({
        collection: 'tenants',
        data: {
          name: t.name,
          slug: t.slug,
          domains: t.domains.map((domain) => ({ domain })),
          brand: { primaryColor: t.brand.primaryColor, accentColor: t.brand.accentColor },
          // Both demo tenants have a shop; with Medusa configured this links them (sales channel, key).
          commerce: { enabled: true },
        },
      }),
    )
    const inTenant = (where: Where): Where => ({ and: [{ tenant: { equals: tenantId } }, where] })

    const images = new Map<string, Id>()
    for (const image of t.images) {
      const filename = `${t.slug}-${image.key}.png`
      const id = await ensure('media', inTenant({ filename: { equals: filename } }), async () => {
        const data = await renderSeedImage(image)
        return payload.create({
          collection: 'media',
          data: { alt: image.alt, tenant: tenantId },
          file: { data, mimetype: 'image/png', name: filename, size: data.length },
        })
      })
      images.set(image.key, id)
    }
    const image = (key: string) => {
      const id = images.get(key)
      if (id === undefined) throw new Error(`seed data for ${t.slug} names unknown image "${key}"`)
      return id
    }

    const tenantDoc = await payload.findByID({ collection: 'tenants', id: tenantId, depth: 0 })
    if (!tenantDoc.brand?.logo)
      await payload.update({ collection: 'tenants', id: tenantId, data: { brand: { logo: image(t.brand.logo) } } })

    const categories = new Map<string, Id>()
    for (const c of t.categories) {
      const id = await ensure('categories', inTenant({ slug: { equals: c.slug } }), () =>
        payload.create({ collection: 'categories', data: { ...c, tenant: tenantId } }),
      )
      categories.set(c.slug, id)
    }

    const userIds: Id[] = []
    for (const u of t.users) {
      userIds.push(
        await ensure('users', { email: { equals: u.email } }, () =>
          payload.create({
            collection: 'users',
            data: {
              email: u.email,
              name: u.name,
              password: DEMO_PASSWORD,
              roles: ['user'],
              tenants: [{ tenant: tenantId, roles: u.roles }],
            },
          }),
        ),
      )
    }

    for (const p of t.pages) {
      await ensure('pages', inTenant({ slug: { equals: p.slug } }), async () =>
        payload.create({
          collection: 'pages',
          draft: false,
          data: {
            title: p.title,
            slug: p.slug,
            tenant: tenantId,
            _status: 'published',
            layout: [
              {
                blockType: 'hero',
                heading: p.heading,
                subheading: p.subheading,
                image: image(p.image),
                cta: { label: p.cta.label, url: p.cta.url },
              },
              { blockType: 'richText', content: lexical(p.markdown) },
              ...(p.featured ? [{ blockType: 'featuredProducts' as const, ...p.featured }] : []),
              { blockType: 'media', media: image(p.image), caption: p.subheading },
              {
                blockType: 'callToAction',
                heading: p.cta.heading,
                text: p.cta.text,
                links: [{ label: p.cta.label, url: p.cta.url }],
              },
            ],
            seo: { ...p.seo, ogImage: image(p.image) },
          },
        }),
      )
    }

    for (const p of t.posts) {
      const category = categories.get(p.category)
      await ensure('posts', inTenant({ slug: { equals: p.slug } }), async () =>
        payload.create({
          collection: 'posts',
          draft: p.status === 'draft',
          data: {
            title: p.title,
            slug: p.slug,
            tenant: tenantId,
            excerpt: p.excerpt,
            content: lexical(p.markdown),
            coverImage: image(p.image),
            categories: category === undefined ? [] : [category],
            author: userIds[0],
            _status: p.status,
            publishedAt:
              p.status === 'published' ? new Date(Date.now() - p.daysAgo * 86_400_000).toISOString() : undefined,
          },
        }),
      )
    }
    return tenantId
  }
}
