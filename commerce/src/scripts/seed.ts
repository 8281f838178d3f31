/**
 * Demo data for BizOSaaS commerce: run with `pnpm --filter @bizosaas/commerce seed` (`medusa exec`).
 *
 * Idempotent: every part is looked up first and only what is missing is created, through Medusa's
 * workflows (so a failure part-way undoes that part). A second run creates nothing and says so.
 */
import {
  createCollectionsWorkflow,
  createProductCategoriesWorkflow,
  createRegionsWorkflow,
  createShippingProfilesWorkflow,
  createTaxRegionsWorkflow,
  createUserAccountWorkflow,
  updateStoresWorkflow,
} from '@medusajs/core-flows'
import type { ExecArgs, Logger, MedusaContainer } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils'
import { createCatalogueProductsWorkflow } from '../workflows/catalogue/workflows/create-catalogue-products'
import { findTenantStorefront } from '../workflows/tenants/steps/find-tenant-storefront'
import { createLocationShippingWorkflow } from '../workflows/tenants/workflows/create-location-shipping'
import { linkTenantStorefrontWorkflow } from '../workflows/tenants/workflows/link-tenant-storefront'
import { regions, SYSTEM_PAYMENT_PROVIDER, storeCurrencies } from './data/regions'
import { type CommerceTenant, commerceTenants } from './tenants'

export const STORE_NAME = 'BizOSaaS'

/** What a run created, so it can say "nothing to do" when that is so. */
class SeedLog {
  readonly created: string[] = []
  constructor(private logger: Logger) {}
  add(what: string) {
    this.created.push(what)
    this.logger.info(`[seed] created ${what}`)
  }
  skip(what: string) {
    this.logger.info(`[seed] ${what}: already there`)
  }
}

export default async function seed({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const log = new SeedLog(logger)
  const started = performance.now()

  await seedStore(container, log)
  await seedRegions(container, log)
  await seedTaxRegions(container, log)
  const shippingProfileId = await defaultShippingProfile(container, log)
  for (const tenant of commerceTenants) await seedTenant(container, log, tenant, shippingProfileId)
  await seedAdminUser(container, log)

  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  logger.info(
    log.created.length
      ? `[seed] done in ${seconds} s: created ${log.created.length} things`
      : `[seed] nothing to do: everything was already seeded (${seconds} s)`,
  )
}

async function seedStore(container: MedusaContainer, log: SeedLog) {
  const storeModule = container.resolve(Modules.STORE)
  const [store] = await storeModule.listStores({}, { relations: ['supported_currencies'] })
  if (!store) throw new Error('Medusa has no store: run `medusa db:migrate` first')
  const current = (store.supported_currencies ?? [])
    .map((c) => `${c.currency_code}${c.is_default ? '*' : ''}`)
    .sort()
    .join(',')
  const wanted = storeCurrencies
    .map((c) => `${c.currency_code}${c.is_default ? '*' : ''}`)
    .sort()
    .join(',')
  if (current === wanted && store.name === STORE_NAME) return log.skip('store currencies EUR (default) and USD')
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: { name: STORE_NAME, supported_currencies: storeCurrencies.map((c) => ({ ...c })) },
    },
  })
  log.add('store currencies EUR (default) and USD')
}

async function seedRegions(container: MedusaContainer, log: SeedLog) {
  const existing = new Set(
    (await container.resolve(Modules.REGION).listRegions({}, { select: ['name'] })).map((r) => r.name),
  )
  const missing = regions.filter((region) => !existing.has(region.name))
  if (!missing.length) return log.skip(`regions ${regions.map((r) => r.name).join(', ')}`)
  await createRegionsWorkflow(container).run({
    input: {
      regions: missing.map((region) => ({
        name: region.name,
        currency_code: region.currency_code,
        countries: Object.keys(region.countries),
        payment_providers: [SYSTEM_PAYMENT_PROVIDER],
      })),
    },
  })
  for (const region of missing) log.add(`region ${region.name} (${region.currency_code.toUpperCase()})`)
}

async function seedTaxRegions(container: MedusaContainer, log: SeedLog) {
  const taxModule = container.resolve(Modules.TAX)
  const existing = new Set(
    (await taxModule.listTaxRegions({}, { select: ['country_code', 'parent_id'] }))
      .filter((r) => !r.parent_id)
      .map((r) => r.country_code),
  )
  const missing = regions.flatMap((region) =>
    Object.entries(region.countries)
      .filter(([country]) => !existing.has(country))
      .map(([country_code, rate]) => ({
        country_code,
        provider_id: 'tp_system',
        default_tax_rate: { name: country_code === 'us' ? 'Sales tax' : 'VAT', code: 'default', rate },
      })),
  )
  if (!missing.length) return log.skip('tax regions')
  await createTaxRegionsWorkflow(container).run({ input: missing })
  log.add(`tax regions for ${missing.map((r) => r.country_code).join(', ')}`)
}

async function defaultShippingProfile(container: MedusaContainer, log: SeedLog): Promise<string> {
  const [profile] = await container.resolve(Modules.FULFILLMENT).listShippingProfiles({ type: 'default' })
  if (profile) return profile.id
  const { result } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: 'Default Shipping Profile', type: 'default' }] },
  })
  log.add('default shipping profile')
  return result[0]!.id
}

async function seedTenant(container: MedusaContainer, log: SeedLog, tenant: CommerceTenant, shippingProfileId: string) {
  const what = `${tenant.name} sales channel, publishable key and stock location`
  const found = await findTenantStorefront(container, tenant.slug)
  let storefront: { salesChannelId: string; stockLocationId: string; fulfillmentSets: string[] }
  if (found?.publishableKey && found.stockLocation) {
    log.skip(what)
    storefront = {
      salesChannelId: found.salesChannelId,
      stockLocationId: found.stockLocation.id,
      fulfillmentSets: found.stockLocation.fulfillmentSets,
    }
  } else {
    // The same workflow as POST /admin/bizosaas/tenants/:slug/storefront: only what is missing is made.
    const { result } = await linkTenantStorefrontWorkflow(container).run({
      input: {
        slug: tenant.slug,
        name: tenant.name,
        salesChannel: tenant.salesChannel,
        publishableKeyTitle: tenant.publishableKeyTitle,
        stockLocation: tenant.stockLocation,
      },
    })
    log.add(what)
    storefront = {
      salesChannelId: result.storefront.salesChannelId,
      stockLocationId: result.storefront.stockLocationId,
      fulfillmentSets: found?.stockLocation?.fulfillmentSets ?? [],
    }
  }

  if (storefront.fulfillmentSets.includes(tenant.fulfillmentSetName)) log.skip(`${tenant.name} shipping`)
  else {
    await createLocationShippingWorkflow(container).run({
      input: {
        stockLocationId: storefront.stockLocationId,
        shippingProfileId,
        fulfillmentSetName: tenant.fulfillmentSetName,
        // Service zone names are unique across Medusa, so they carry the tenant's name.
        zones: regions.map((region) => ({
          name: `${tenant.name} ${region.name}`,
          countries: Object.keys(region.countries),
        })),
        options: tenant.shippingOptions,
      },
    })
    log.add(`${tenant.name} shipping (${tenant.shippingOptions.map((o) => o.label).join(', ')})`)
  }

  const productModule = container.resolve(Modules.PRODUCT)
  const { categories, collections, products } = tenant.catalogue

  const categoryIds = await ensureByHandle(
    log,
    `${tenant.name} categories`,
    categories.map((c) => c.handle),
    (handle) => productModule.listProductCategories({ handle }, { select: ['id', 'handle'] }),
    async (handles) => {
      const { result } = await createProductCategoriesWorkflow(container).run({
        input: {
          product_categories: categories
            .filter((c) => handles.includes(c.handle))
            .map((c) => ({ name: c.name, handle: c.handle, description: c.description, is_active: true })),
        },
      })
      return result
    },
  )
  const collectionIds = await ensureByHandle(
    log,
    `${tenant.name} collections`,
    collections.map((c) => c.handle),
    (handle) => productModule.listProductCollections({ handle }, { select: ['id', 'handle'] }),
    async (handles) => {
      const { result } = await createCollectionsWorkflow(container).run({
        input: {
          collections: collections
            .filter((c) => handles.includes(c.handle))
            .map((c) => ({ title: c.name, handle: c.handle })),
        },
      })
      return result
    },
  )

  const present = new Set(
    (await productModule.listProducts({ handle: products.map((p) => p.handle) }, { select: ['handle'] })).map(
      (p) => p.handle,
    ),
  )
  const missing = products.filter((p) => !present.has(p.handle))
  if (!missing.length) return log.skip(`${tenant.name} products`)
  await createCatalogueProductsWorkflow(container).run({
    input: {
      tenantName: tenant.name,
      salesChannelId: storefront.salesChannelId,
      stockLocationId: storefront.stockLocationId,
      shippingProfileId,
      products: missing,
      categoryIds,
      collectionIds,
    },
  })
  log.add(`${tenant.name} products (${missing.length})`)
}

/** Handle → id for `handles`, creating the missing ones with `create`. */
async function ensureByHandle(
  log: SeedLog,
  what: string,
  handles: string[],
  list: (handles: string[]) => Promise<{ id: string; handle: string | null }[]>,
  create: (missing: string[]) => Promise<{ id: string; handle: string | null }[]>,
): Promise<Record<string, string>> {
  if (!handles.length) return {}
  const found = await list(handles)
  const missing = handles.filter((handle) => !found.some((f) => f.handle === handle))
  const created = missing.length ? await create(missing) : []
  if (missing.length) log.add(`${what} (${missing.join(', ')})`)
  else log.skip(what)
  return Object.fromEntries([...found, ...created].map((item) => [item.handle, item.id]))
}

/** The admin login (the same as the CMS's super-admin), created like `medusa user` does: an emailpass identity linked to a user. */
async function seedAdminUser(container: MedusaContainer, log: SeedLog) {
  // The CMS's super-admin login (@bizosaas/contracts, an ES module: loaded with import()).
  const { DEMO_PASSWORD, DEMO_SUPER_ADMIN } = await import('@bizosaas/contracts/demo')
  const DEMO_ADMIN = { email: DEMO_SUPER_ADMIN.email, password: DEMO_PASSWORD, first_name: 'Admin' }
  const [user] = await container.resolve(Modules.USER).listUsers({ email: DEMO_ADMIN.email })
  if (user) return log.skip(`admin user ${DEMO_ADMIN.email}`)
  const authModule = container.resolve(Modules.AUTH)
  const [identity] = await authModule.listProviderIdentities({ entity_id: DEMO_ADMIN.email, provider: 'emailpass' })
  let authIdentityId = identity?.auth_identity_id
  if (!authIdentityId) {
    const { authIdentity, error } = await authModule.register('emailpass', {
      body: { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password },
    })
    if (error || !authIdentity) throw new Error(`Could not register ${DEMO_ADMIN.email}: ${error}`)
    authIdentityId = authIdentity.id
  }
  await createUserAccountWorkflow(container).run({
    input: { authIdentityId, userData: { email: DEMO_ADMIN.email, first_name: DEMO_ADMIN.first_name } },
  })
  log.add(`admin user ${DEMO_ADMIN.email} (password "${DEMO_ADMIN.password}")`)
}
