/**
 * The storefront end to end: real Medusa (seeded CoreLDove and Bizoholic shops), a real Payload on
 * PostgreSQL served over HTTP, the production build of the storefront, and the system Chromium.
 */
import http from 'node:http'
import path from 'node:path'
import { lexicalParagraphs, startTestCms, type TestCms } from '@bizosaas/cms/test'
import { startTestCommerce, type TestCommerce } from '@bizosaas/commerce/test'
import { histogramCount, parseMetrics, sampleValue } from '@bizosaas/observability/testing'
import { artifactsDir, launchChromium } from '@bizosaas/scripts/browser'
import { DEMO_MEDUSA_ADMIN, medusaAdminToken } from '@bizosaas/scripts/commerce'
import { freePort } from '@bizosaas/scripts/ports'
import { missingSecurityHeaders, watchCspViolations } from '@bizosaas/scripts/test/csp-violations'
import { appRoutes, malformedProbes, sendProbes } from '@bizosaas/scripts/test/malformed-requests'
import { until as pollUntil } from '@bizosaas/scripts/test/until'
import pg from 'pg'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildStorefront, getWithHost, type RunningStorefront, servePayloadRest, startStorefront } from './harness.ts'

const API_KEY = 'storefront-e2e-api-key-0123456789abcdef'
const REVALIDATE_SECRET = 'storefront-e2e-revalidate-secret-0123456789'
const CORELDOVE = { primary: '#b45309', accent: '#0f766e', hero: 'Light for every room' }
const BIZOHOLIC = { primary: '#4338ca', accent: '#f97316', hero: 'Marketing that runs while you sleep' }
const BIZOHOLIC_PRODUCTS = ['Brand Strategy Workshop', 'SEO Audit', 'Social Media Content Pack']

/** Setup writes skip the CMS's storefront hook (the storefront is not up yet). */
const SETUP = { revalidateStorefront: false }

const hero = (heading: string) => [{ blockType: 'hero', heading, subheading: 'Designed in the north, lit everywhere.' }]

describe('storefront', () => {
  let commerce: TestCommerce
  let cms: TestCms
  let rest: Awaited<ReturnType<typeof servePayloadRest>>
  let storefront: RunningStorefront
  let browser: Browser
  let shots: string
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    const started = performance.now()
    // Medusa's storefront-revalidate subscriber (commerceEnv passes process.env on) and the CMS's
    // revalidate-storefront hook (same process) read these.
    const storefrontPort = await freePort()
    process.env.STOREFRONT_URL = `http://127.0.0.1:${storefrontPort}`
    process.env.REVALIDATE_SECRET = REVALIDATE_SECRET
    const [built, commerceStarted, cmsStarted] = await Promise.all([
      buildStorefront(),
      startTestCommerce('storefront'),
      startTestCms('storefront', { medusa: { enabled: false } }),
    ])
    commerce = commerceStarted
    cms = cmsStarted
    console.info(
      `[storefront] build ${built ? `${built.toFixed(0)} s` : 'cached'}; stack up in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    )
    rest = await servePayloadRest(cms.config)
    // The seeded template's image URLs name the port Medusa had when it was seeded; point them at this one.
    const medusaDb = new pg.Client({ connectionString: commerce.db.url })
    await medusaDb.connect()
    try {
      await medusaDb.query(`UPDATE image SET url = regexp_replace(url, '^http://localhost:[0-9]+', $1)`, [commerce.url])
      await medusaDb.query(`UPDATE product SET thumbnail = regexp_replace(thumbnail, '^http://localhost:[0-9]+', $1)`, [
        commerce.url,
      ])
    } finally {
      await medusaDb.end()
    }
    const { payload } = cms

    const logo = await (cms.config.sharp as unknown as (o: object) => { png(): { toBuffer(): Promise<Buffer> } })({
      create: { width: 120, height: 120, channels: 3, background: CORELDOVE.primary },
    })
      .png()
      .toBuffer()
    for (const [slug, name, brand] of [
      ['coreldove', 'CoreLDove', CORELDOVE],
      ['bizoholic', 'Bizoholic', BIZOHOLIC],
    ] as const) {
      const link = commerce.tenants[slug]!
      const tenant = await payload.create({
        collection: 'tenants',
        context: SETUP,
        data: {
          name,
          slug,
          domains: [{ domain: `${slug}.localhost` }],
          brand: { primaryColor: brand.primary, accentColor: brand.accent },
          commerce: { enabled: false, salesChannelId: link.salesChannelId, publishableKey: link.publishableKey },
        },
      } as never)
      ids[slug] = tenant.id as number
      await payload.create({
        collection: 'pages',
        context: SETUP,
        data: { tenant: tenant.id, title: 'Home', slug: 'home', layout: hero(brand.hero), _status: 'published' },
      } as never)
    }
    const media = await payload.create({
      collection: 'media',
      context: SETUP,
      data: { alt: 'CoreLDove logo', tenant: ids.coreldove },
      file: { data: logo, mimetype: 'image/png', name: 'coreldove-logo.png', size: logo.length },
    } as never)
    await payload.update({
      collection: 'tenants',
      context: SETUP,
      id: ids.coreldove!,
      data: { brand: { logo: media.id } },
    } as never)
    // A wide photo (1600×600 JPEG): Payload adds its WebP sizes for phones and desktops.
    const photo = await (cms.config.sharp as unknown as (o: object) => { jpeg(): { toBuffer(): Promise<Buffer> } })({
      create: { width: 1600, height: 600, channels: 3, background: CORELDOVE.accent },
    })
      .jpeg()
      .toBuffer()
    const workshop = await payload.create({
      collection: 'media',
      context: SETUP,
      data: { alt: 'The Bergen workshop', tenant: ids.coreldove },
      file: { data: photo, mimetype: 'image/jpeg', name: 'coreldove-workshop.jpg', size: photo.length },
    } as never)
    await payload.create({
      collection: 'pages',
      context: SETUP,
      data: {
        tenant: ids.coreldove,
        title: 'About',
        slug: 'about',
        layout: [
          { blockType: 'richText', content: lexicalParagraphs('CoreLDove designs lamps in Bergen.') },
          { blockType: 'media', media: workshop.id },
          { blockType: 'callToAction', heading: 'Visit the shop', links: [{ label: 'Shop now', url: '/store' }] },
        ],
        seo: { metaTitle: 'About CoreLDove', metaDescription: 'Who makes CoreLDove lamps.' },
        _status: 'published',
      },
    } as never)
    await payload.create({
      collection: 'posts',
      context: SETUP,
      data: {
        tenant: ids.coreldove,
        title: 'Choosing a pendant height',
        slug: 'pendant-height',
        excerpt: 'Hang it 75 cm above the table.',
        content: lexicalParagraphs('Hang a pendant 75 cm above the dining table.'),
        _status: 'published',
      },
    } as never)
    // The storefront reads Payload as a client of both tenants: least privilege, no admin key.
    await payload.create({
      collection: 'users',
      context: SETUP,
      data: {
        email: 'storefront@bizosaas.test',
        password: 'storefront-e2e-password',
        roles: ['user'],
        enableAPIKey: true,
        apiKey: API_KEY,
        tenants: [
          { tenant: ids.coreldove, roles: ['client'] },
          { tenant: ids.bizoholic, roles: ['client'] },
        ],
      },
    } as never)
    // Rich description from Payload for one product.
    const fjord = await fetch(`${commerce.url}/store/products?handle=fjord-opal-pendant&fields=id`, {
      headers: { 'x-publishable-api-key': commerce.tenants.coreldove!.publishableKey },
    }).then((r) => r.json() as Promise<{ products: { id: string }[] }>)
    const fjordContent = await payload.create({
      collection: 'product-content',
      context: SETUP,
      data: {
        tenant: ids.coreldove,
        title: 'Fjord Opal Pendant',
        medusaProductId: fjord.products[0]!.id,
        handle: 'fjord-opal-pendant',
        description: lexicalParagraphs('Mouth-blown in Småland by a family glassworks since 1921.'),
      },
    } as never)
    // Featured-products blocks: one picked by an editor, one from a Medusa collection.
    await payload.create({
      collection: 'pages',
      context: SETUP,
      data: {
        tenant: ids.coreldove,
        title: 'Lighting',
        slug: 'lighting',
        layout: [
          { blockType: 'featuredProducts', heading: 'Editor’s pick', source: 'picked', products: [fjordContent.id] },
          {
            blockType: 'featuredProducts',
            heading: 'Nordic Light',
            source: 'collection',
            handle: 'nordic-light',
            limit: 2,
          },
        ],
        _status: 'published',
      },
    } as never)

    storefront = await startStorefront(
      {
        CMS_URL: rest.url,
        CMS_API_KEY: API_KEY,
        MEDUSA_URL: commerce.url,
        REVALIDATE_SECRET,
        // Rate limits on the CMS database's rate_limits table; Next.js is the one trusted proxy (the browser
        // sends no X-Forwarded-For, so it writes the socket's address), tests stand for other addresses by
        // sending the header. Small limits where the rate-limit test floods; the other tests stay under them.
        RATE_LIMIT_DATABASE_URL: cms.db.url,
        TRUSTED_PROXY_COUNT: '1',
        RATE_LIMIT_SIGN_IN_IP: '8/1h',
        RATE_LIMIT_ACCOUNT: '3/1h',
        RATE_LIMIT_CART: '10/1m',
        RATE_LIMIT_REVALIDATE: '20/1m',
      },
      storefrontPort,
    )
    browser = await launchChromium()
    shots = await artifactsDir('storefront')
  })

  afterAll(async () => {
    await browser?.close()
    await storefront?.stop()
    await rest?.close()
    await cms?.close()
    await commerce?.close()
  })

  /** CSP violations of the pages each test opened: every test must end with none. */
  const watched: string[][] = []
  async function newPage(extraHTTPHeaders?: Record<string, string>): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders })
    watched.push(await watchCspViolations(context))
    return context.newPage()
  }
  afterEach(() => {
    const found = watched.flat()
    watched.length = 0
    expect(found, 'Content-Security-Policy violations').toEqual([])
  })

  const shop = (slug: string, p = '/') => storefront.urlFor(`${slug}.localhost`) + p

  it('answers an unknown host with a 404 page, never another tenant’s shop', async () => {
    const res = await getWithHost(storefront.port, 'shop.unknown.example', '/')
    expect(res.status).toBe(404)
    expect(res.body).toContain('No shop here')
    expect(res.body).not.toContain('CoreLDove')
    const page = await newPage()
    const response = await page.goto(shop('nobody'))
    expect(response?.status()).toBe(404)
    await page.context().close()
  })

  it('sells a product end to end: browse → variant → cart → checkout → confirmation, in the tenant’s sales channel', async () => {
    const page = await newPage()
    await page.goto(shop('coreldove'))
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(CORELDOVE.hero)
    expect(await page.locator('.brand').textContent()).toContain('CoreLDove')
    // The logo comes from Payload's media over HTTP and loads.
    await expect.poll(() => page.locator('.brand img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120)
    expect(await page.locator('[data-testid=product-card]').count()).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(shots, 'home.png'), fullPage: true })

    // Browse: search, then open the product.
    await page.getByRole('searchbox', { name: 'Search products' }).fill('fjord')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/\/search\?q=fjord/)
    await page.getByRole('link', { name: /Fjord Opal Pendant/ }).click()
    await page.waitForURL(/\/products\/fjord-opal-pendant/)
    expect(await page.getByTestId('product-description').textContent()).toContain('Mouth-blown in Småland')
    // The gallery's first image loads from Medusa, in its fixed box.
    await expect
      .poll(() =>
        page
          .locator('.gallery img')
          .first()
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBeGreaterThan(0)

    // …resized by Next's image optimizer (modern formats), which fetches Medusa's /static files and nothing else.
    const gallerySrc = await page.locator('.gallery img').first().getAttribute('src')
    expect(gallerySrc).toMatch(/^\/_next\/image\?url=http%3A%2F%2Flocalhost%3A\d+%2Fstatic%2F/)
    const optimized = await fetch(`http://127.0.0.1:${storefront.port}${gallerySrc}`, {
      headers: { accept: 'image/avif,image/webp,*/*' },
    })
    expect(optimized.headers.get('content-type')).toMatch(/^image\/(avif|webp)$/)
    for (const url of ['http://example.com/x.png', `${commerce.url}/admin/products`])
      expect(
        (
          await getWithHost(
            storefront.port,
            'coreldove.localhost',
            `/_next/image?url=${encodeURIComponent(url)}&w=640&q=75`,
          )
        ).status,
      ).toBe(400)

    // Variant picker: the Ø35 cm size costs €89 + €30 in the Europe region.
    await page.getByText('Ø35 cm', { exact: true }).click()
    await expect.poll(() => page.getByTestId('product-price').textContent()).toBe('€119.00')
    expect(await page.getByTestId('stock-state').textContent()).toMatch(/In stock|Only \d+ left/)
    await page.screenshot({ path: path.join(shots, 'product.png'), fullPage: true })
    await page.getByLabel('Quantity').fill('2')
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByText('Added to your cart.').waitFor()

    // The cart cookie is http-only.
    const cookies = await page.context().cookies()
    const cartCookie = cookies.find((c) => c.name === 'cart_coreldove')
    expect(cartCookie?.httpOnly).toBe(true)
    expect(cartCookie?.sameSite).toBe('Lax')

    await page.getByRole('link', { name: 'View cart' }).click()
    await page.waitForURL(/\/cart$/)
    expect(await page.getByTestId('cart-line').count()).toBe(1)
    expect(await page.getByTestId('cart-total').textContent()).toBe('€238.00')

    // More than is in stock: a message, and the cart keeps its quantity.
    const qty = page.getByLabel('Quantity of Fjord Opal Pendant')
    await qty.fill('99')
    await page.getByRole('button', { name: 'Update' }).click()
    await page.getByText('we do not have that many in stock').waitFor()
    await page.reload()
    expect(await page.getByLabel('Quantity of Fjord Opal Pendant').inputValue()).toBe('2')
    await page.getByLabel('Quantity of Fjord Opal Pendant').fill('1')
    await page.getByRole('button', { name: 'Update' }).click()
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('€119.00')
    await page.screenshot({ path: path.join(shots, 'cart.png'), fullPage: true })

    // Checkout with the keyboard-reachable form; a malformed address first.
    await page.getByRole('link', { name: 'Go to checkout' }).click()
    await page.waitForURL(/\/checkout$/)
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByLabel('First name').fill('Astrid')
    await page.getByLabel('Last name').fill('Lindqvist')
    await page.getByLabel('Street address').fill('Storgatan 12')
    await page.getByLabel('Postcode').fill('!!')
    await page.getByRole('button', { name: 'Save and continue' }).click()
    await page.getByText('Please correct the highlighted fields.').waitFor()
    expect(await page.getByText('Enter an email address like name@example.com').count()).toBe(1)
    expect(await page.getByText('Enter your town or city').count()).toBe(1)
    expect(await page.getByText('Enter a valid postcode').count()).toBe(1)
    expect(await page.getByLabel('First name').inputValue()).toBe('Astrid')

    await page.getByLabel('Email').fill('astrid@example.com')
    await page.getByLabel('Town or city').fill('Berlin')
    await page.getByLabel('Postcode').fill('10115')
    await page.getByLabel('Country').selectOption('de')
    await page.getByRole('button', { name: 'Save and continue' }).click()
    await page.getByRole('heading', { name: '2. Delivery and payment' }).waitFor()
    expect(await page.getByLabel('Country').inputValue()).toBe('de')
    await page.screenshot({ path: path.join(shots, 'checkout.png'), fullPage: true })
    await page.getByRole('button', { name: 'Place order' }).click()
    await page.waitForURL(/\/order\/order_/)
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor()
    await page.screenshot({ path: path.join(shots, 'confirmation.png'), fullPage: true })
    const orderId = page.url().split('/order/')[1]!

    // The order is in Medusa, in CoreLDove's sales channel, with what was bought.
    const db = new pg.Client({ connectionString: commerce.db.url })
    await db.connect()
    try {
      const { rows } = await db.query(
        `SELECT o.email, o.sales_channel_id, o.currency_code, li.product_title, li.variant_title, oi.quantity
           FROM "order" o
           JOIN order_item oi ON oi.order_id = o.id
           JOIN order_line_item li ON li.id = oi.item_id
          WHERE o.id = $1`,
        [orderId],
      )
      expect(rows).toEqual([
        expect.objectContaining({
          email: 'astrid@example.com',
          sales_channel_id: commerce.tenants.coreldove!.salesChannelId,
          currency_code: 'eur',
          product_title: 'Fjord Opal Pendant',
          variant_title: 'Ø35 cm',
        }),
      ])
      expect(Number(rows[0].quantity)).toBe(1)
    } finally {
      await db.end()
    }

    // The cart is spent: the cart page starts empty again.
    await page.goto(shop('coreldove', '/cart'))
    await page.getByText('Your cart is empty.').waitFor()
    await page.context().close()
  })

  it("shows a second tenant only its own products and brand, and not the other's product pages", async () => {
    const page = await newPage()
    await page.goto(shop('bizoholic', '/store'))
    const titles = await page.locator('[data-testid=product-card] h3').allTextContents()
    expect(titles.sort()).toEqual(BIZOHOLIC_PRODUCTS)
    expect(await page.locator('.brand').textContent()).toBe('Bizoholic')
    const primary = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--primary').trim(),
    )
    expect(primary).toBe(BIZOHOLIC.primary)
    expect((await page.goto(shop('bizoholic', '/products/fjord-opal-pendant')))?.status()).toBe(404)
    // An order id of CoreLDove's is not found on Bizoholic's host either.
    expect((await page.goto(shop('bizoholic', '/cart')))?.status()).toBe(200)
    await page.context().close()

    const coreldove = await getWithHost(storefront.port, 'coreldove.localhost', '/store')
    for (const title of BIZOHOLIC_PRODUCTS) expect(coreldove.body).not.toContain(title)
    // CoreLDove's logo file is served on its host only.
    const logo = /src="(\/media\/[^"]+)"/.exec(coreldove.body)?.[1]
    expect(logo).toBeDefined()
    expect((await getWithHost(storefront.port, 'coreldove.localhost', logo!)).status).toBe(200)
    expect((await getWithHost(storefront.port, 'bizoholic.localhost', logo!)).status).toBe(404)
  })

  it('serves product and home pages from the cache, per region the shopper chose', async () => {
    const productPath = '/products/fjord-opal-pendant'
    const price = (body: string) => /data-testid="product-price"[^>]*>([^<]+)</.exec(body)?.[1]
    // Served from the full-route cache without rendering: HIT, or STALE while it refreshes in the background.
    const fromCache = (res: { headers: Record<string, unknown> }) =>
      expect(res.headers['x-nextjs-cache']).toMatch(/^(HIT|STALE)$/)
    await getWithHost(storefront.port, 'coreldove.localhost', productPath)
    const cached = await getWithHost(storefront.port, 'coreldove.localhost', productPath)
    fromCache(cached)
    expect(price(cached.body)).toMatch(/^€/)
    await getWithHost(storefront.port, 'coreldove.localhost', '/')
    fromCache(await getWithHost(storefront.port, 'coreldove.localhost', '/'))

    // The shopper picks North America: prices in dollars, from that region's own cache entry.
    const page = await newPage()
    await page.goto(shop('coreldove', productPath))
    await page.getByLabel('Region and currency').selectOption({ label: 'North America (USD)' })
    await page.getByRole('button', { name: 'Change region' }).click()
    await expect.poll(() => page.getByTestId('product-price').textContent(), { timeout: 15_000 }).toMatch(/^(US)?\$\d/)
    const region = (await page.context().cookies()).find((c) => c.name === 'region')!
    expect(region.httpOnly).toBe(true)
    await page.context().close()
    const american = await getWithHost(storefront.port, 'coreldove.localhost', productPath, `region=${region.value}`)
    expect(price(american.body)).toMatch(/^(US)?\$\d/)
    expect(american.body).toContain(`<option value="${region.value}" selected="">North America (USD)</option>`)

    // A forged or stale region cookie is the default region, not a new page in the cache.
    const forged = await getWithHost(storefront.port, 'coreldove.localhost', productPath, 'region=reg_01FORGED')
    fromCache(forged)
    expect(price(forged.body)).toMatch(/^€/)
  })

  it('shows a content change from Payload once it is revalidated (endpoint and CMS hook), and not before', async () => {
    const heading = async () => {
      const res = await getWithHost(storefront.port, 'coreldove.localhost', '/')
      expect(res.status).toBe(200)
      return /<h1>([^<]*)<\/h1>/.exec(res.body)?.[1]
    }
    expect(await heading()).toBe(CORELDOVE.hero)
    const { docs } = await cms.payload.find({
      collection: 'pages',
      where: { tenant: { equals: ids.coreldove }, slug: { equals: 'home' } },
    } as never)
    const homeId = (docs[0] as { id: number }).id
    // Without the CMS's hook (switched off for this save), the page stays as cached...
    await cms.payload.update({
      collection: 'pages',
      id: homeId,
      data: { layout: hero('Winter light sale'), _status: 'published' },
      context: { revalidateStorefront: false },
    } as never)
    expect(await heading()).toBe(CORELDOVE.hero)

    const post = (body: unknown, auth?: string) =>
      fetch(`http://127.0.0.1:${storefront.port}/api/revalidate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify(body),
      })
    expect((await post({ tags: ['pages:coreldove'] })).status).toBe(401)
    expect((await post({ tags: ['pages:coreldove'] }, 'Bearer wrong-secret')).status).toBe(401)
    const bad = await post({ tags: ['<script>'] }, `Bearer ${REVALIDATE_SECRET}`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { issues: string[] }).issues[0]).toContain('lower-case letters')
    // ...until the endpoint is called with the secret.
    const ok = await post({ tags: ['pages:coreldove'] }, `Bearer ${REVALIDATE_SECRET}`)
    expect(ok.status).toBe(200)
    expect(await heading()).toBe('Winter light sale')

    // A normal save: the CMS's afterChange hook revalidates by itself, within seconds.
    await cms.payload.update({
      collection: 'pages',
      id: homeId,
      data: { layout: hero('Spring collection'), _status: 'published' },
    } as never)
    await expect.poll(heading, { timeout: 15_000, interval: 300 }).toBe('Spring collection')
  })

  it('refreshes a product page within seconds when the product changes in Medusa (subscriber → revalidate)', async () => {
    const productPath = '/products/halden-rattan-pendant'
    const before = await getWithHost(storefront.port, 'coreldove.localhost', productPath)
    expect(before.body).toContain('Halden Rattan Pendant')
    const { products } = (await fetch(`${commerce.url}/store/products?handle=halden-rattan-pendant&fields=id`, {
      headers: { 'x-publishable-api-key': commerce.tenants.coreldove!.publishableKey },
    }).then((r) => r.json())) as { products: { id: string }[] }
    const token = await medusaAdminToken({ url: commerce.url, ...DEMO_MEDUSA_ADMIN })
    const res = await fetch(`${commerce.url}/admin/products/${products[0]!.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: 'Halden Rattan Pendant Limited Edition' }),
    })
    expect(res.status).toBe(200)
    // Well inside the page's own 60 s refresh timer: only the subscriber's call explains the change.
    await expect
      .poll(async () => (await getWithHost(storefront.port, 'coreldove.localhost', productPath)).body, {
        timeout: 20_000,
        interval: 500,
      })
      .toContain('Halden Rattan Pendant Limited Edition')
  })

  it('lets a customer register, keep addresses, log out and log in again', async () => {
    const page = await newPage()
    await page.goto(shop('coreldove', '/account'))
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Create an account' }) })
    await form.getByLabel('First name').fill('Sven')
    await form.getByLabel('Last name').fill('Berg')
    await form.getByLabel('Email address').fill('sven@example.com')
    await form.getByLabel('Choose a password').fill('short')
    await form.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('Use at least 8 characters').waitFor()
    await form.getByLabel('Choose a password').fill('a-long-enough-password')
    await form.getByRole('button', { name: 'Create account' }).click()
    await page.getByTestId('customer-email').waitFor()
    expect(await page.getByTestId('customer-email').textContent()).toBe('sven@example.com')
    expect((await page.context().cookies()).find((c) => c.name === 'auth_coreldove')?.httpOnly).toBe(true)

    await page.getByText('Add an address').click()
    await page.getByLabel('First name').fill('Sven')
    await page.getByLabel('Last name').fill('Berg')
    await page.getByLabel('Street address').fill('Kungsgatan 1')
    await page.getByLabel('Town or city').fill('Paris')
    await page.getByLabel('Postcode').fill('%%')
    await page.getByRole('button', { name: 'Save address' }).click()
    await page.getByText('Enter a valid postcode').waitFor()
    await page.getByLabel('Postcode').fill('75001')
    await page.getByLabel('Country').selectOption('fr')
    await page.getByRole('button', { name: 'Save address' }).click()
    await expect.poll(() => page.getByTestId('addresses').textContent()).toContain('Kungsgatan 1, 75001 Paris, FR')

    await page.getByRole('button', { name: 'Log out' }).click()
    const login = page.locator('form', { has: page.getByRole('heading', { name: 'Log in' }) })
    await login.getByLabel('Email').fill('sven@example.com')
    await login.getByLabel('Password').fill('wrong-password')
    await login.getByRole('button', { name: 'Log in' }).click()
    await page.getByText('That email and password do not match an account.').waitFor()
    await login.getByLabel('Password').fill('a-long-enough-password')
    await login.getByRole('button', { name: 'Log in' }).click()
    await page.getByTestId('customer-email').waitFor()
    await page.context().close()
  })

  it('renders Payload pages by their blocks, the blog, and per-tenant SEO files', async () => {
    const about = await getWithHost(storefront.port, 'coreldove.localhost', '/about')
    expect(about.status).toBe(200)
    expect(about.body).toContain('<title>About CoreLDove</title>')
    expect(about.body).toContain('CoreLDove designs lamps in Bergen.')
    expect(about.body).toContain('<link rel="canonical" href="http://coreldove.localhost/about"/>')
    expect((await getWithHost(storefront.port, 'bizoholic.localhost', '/about')).status).toBe(404)

    // The wide photo: a phone picks the 800 px WebP from the srcset, a desktop the 1600 px one, served
    // through the tenant's /media route; the JPEG stays as the fallback src.
    const photo = about.body.match(/<img src="([^"]+)" srcSet="([^"]+)" sizes="([^"]+)" alt="The Bergen workshop"/)
    expect(photo, 'the media block has a srcset').not.toBeNull()
    const [, src, srcSet, sizes] = photo!
    expect(src).toMatch(/^\/media\/coreldove-workshop.*\.jpg$/)
    expect(sizes).toBe('(max-width: 72rem) 100vw, 72rem')
    const candidates = srcSet!.split(', ').map((c) => c.split(' ') as [string, string])
    expect(candidates.map(([, w]) => w)).toEqual(['800w', '1600w'])
    const phone = await bytesWithHost(storefront.port, 'coreldove.localhost', candidates[0]![0])
    expect(phone.type).toBe('image/webp')
    const original = await bytesWithHost(storefront.port, 'coreldove.localhost', src!)
    expect(original.type).toBe('image/jpeg')
    expect(phone.bytes).toBeGreaterThan(0)
    expect(phone.bytes).toBeLessThan(original.bytes)
    expect((await getWithHost(storefront.port, 'bizoholic.localhost', candidates[0]![0])).status).toBe(404)

    const post = await getWithHost(storefront.port, 'coreldove.localhost', '/blog/pendant-height')
    expect(post.body).toContain('<p>Hang a pendant 75 cm above the dining table.</p>')

    // Featured-products blocks: the editor's pick, and two products of the Nordic Light collection.
    const lighting = await getWithHost(storefront.port, 'coreldove.localhost', '/lighting')
    expect(lighting.status).toBe(200)
    const sections = lighting.body.split('data-testid="featured-products"').slice(1)
    expect(sections).toHaveLength(2)
    expect(sections[0]).toContain('Editor’s pick')
    expect(sections[0]!.match(/data-testid="product-card"/g)).toHaveLength(1)
    expect(sections[0]).toContain('href="/products/fjord-opal-pendant"')
    expect(sections[1]).toContain('href="/collections/nordic-light"')
    expect(sections[1]!.match(/data-testid="product-card"/g)).toHaveLength(2)

    const sitemap = await getWithHost(storefront.port, 'coreldove.localhost', '/sitemap.xml')
    expect(sitemap.status).toBe(200)
    expect(sitemap.body).toContain('<loc>http://coreldove.localhost/products/fjord-opal-pendant</loc>')
    expect(sitemap.body).toContain('/blog/pendant-height</loc>')
    expect(sitemap.body).not.toContain('seo-audit')
    const robots = await getWithHost(storefront.port, 'bizoholic.localhost', '/robots.txt')
    expect(robots.body).toContain('Sitemap: http://bizoholic.localhost/sitemap.xml')
  })
  it('sends the security headers on pages, images, API and its own 404', async () => {
    const productPath = '/products/fjord-opal-pendant'
    for (const [host, p] of [
      ['coreldove.localhost', '/'],
      ['coreldove.localhost', productPath],
      ['coreldove.localhost', '/cart'],
      ['shop.unknown.example', '/'],
    ] as const) {
      const res = await getWithHost(storefront.port, host, p)
      expect(missingSecurityHeaders(res.headers), `${host}${p}`).toEqual([])
      // `next start` is production: HSTS (ignored by browsers over http, kept by them over https).
      expect(res.headers['strict-transport-security'], `${host}${p}`).toMatch(/^max-age=\d+/)
      const csp = String(res.headers['content-security-policy'])
      expect(csp).not.toContain('unsafe-eval')
      expect(csp).toContain(`img-src 'self' data: blob: ${new URL(commerce.url).origin}`)
    }
    const api = await fetch(`${storefront.urlFor('127.0.0.1')}/api/revalidate`, { method: 'POST' })
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')
  })

  // Last: it takes Payload away.
  describe('rate limits', () => {
    /** A client behind the trusted proxy, at `ip`. */
    const revalidateFrom = (ip: string) =>
      fetch(`http://127.0.0.1:${storefront.port}/api/revalidate`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${REVALIDATE_SECRET}`,
          'x-forwarded-for': ip,
        },
        body: JSON.stringify({ tags: ['posts:coreldove'] }),
      })

    it('refuses the 21st revalidation a minute from one address with 429, Retry-After and a message', async () => {
      for (let i = 0; i < 20; i++) expect((await revalidateFrom('203.0.113.40')).status).toBe(200)
      const refused = await revalidateFrom('203.0.113.40')
      expect(refused.status).toBe(429)
      const retryAfter = Number(refused.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThan(0)
      expect(retryAfter).toBeLessThanOrEqual(60)
      expect(((await refused.json()) as { error: string }).error).toMatch(
        /^Too many revalidation requests; try again in (\d+ seconds?|1 minute)\.$/,
      )
      expect((await revalidateFrom('203.0.113.41')).status).toBe(200)
    })

    it('log-in: an email after 5 failures, an address after 8, with the wait in the form', async () => {
      const page = await newPage({ 'x-forwarded-for': '203.0.113.50' })
      const attempt = async (email: string) => {
        await page.goto(shop('coreldove', '/account'))
        const login = page.locator('form', { has: page.getByRole('heading', { name: 'Log in' }) })
        await login.getByLabel('Email').fill(email)
        await login.getByLabel('Password').fill('not-the-password')
        await login.getByRole('button', { name: 'Log in' }).click()
        const message = login.getByText(/do not match|Too many/)
        await message.waitFor()
        return (await message.textContent())?.trim()
      }
      for (let i = 0; i < 5; i++)
        expect(await attempt('nobody@example.com')).toBe('That email and password do not match an account.')
      expect(await attempt('nobody@example.com')).toBe(
        'Too many log-in attempts for this email; try again in 15 minutes.',
      )
      await page.screenshot({ path: path.join(shots, 'login-rate-limited.png'), fullPage: true })
      // The address has spent 6; two more failures with other emails, then it is refused whatever the email.
      for (const email of ['a@example.com', 'b@example.com'])
        expect(await attempt(email)).toBe('That email and password do not match an account.')
      expect(await attempt('c@example.com')).toBe(
        'Too many log-in attempts from your network; try again in 60 minutes.',
      )
      await page.context().close()
      // Another address is not affected.
      const other = await newPage({ 'x-forwarded-for': '203.0.113.51' })
      await other.goto(shop('coreldove', '/account'))
      const login = other.locator('form', { has: other.getByRole('heading', { name: 'Log in' }) })
      await login.getByLabel('Email').fill('c@example.com')
      await login.getByLabel('Password').fill('not-the-password')
      await login.getByRole('button', { name: 'Log in' }).click()
      await login.getByText('That email and password do not match an account.').waitFor()
      await other.context().close()
    })

    it('account changes: the 4th registration an hour from one address is refused', async () => {
      const page = await newPage({ 'x-forwarded-for': '203.0.113.60' })
      const register = async (i: number) => {
        await page.context().clearCookies()
        await page.goto(shop('coreldove', '/account'))
        const form = page.locator('form', { has: page.getByRole('heading', { name: 'Create an account' }) })
        await form.getByLabel('First name').fill('Flood')
        await form.getByLabel('Last name').fill(String(i))
        await form.getByLabel('Email address').fill(`flood-${i}@example.com`)
        await form.getByLabel('Choose a password').fill('a-long-enough-password')
        await form.getByRole('button', { name: 'Create account' }).click()
      }
      for (let i = 0; i < 3; i++) {
        await register(i)
        await page.getByTestId('customer-email').waitFor()
      }
      await register(3)
      await page.getByText('Too many account changes from your network; try again in 60 minutes.').waitFor()
      await page.context().close()
    })

    it('cart changes: the 11th a minute from one address is refused; another address adds as usual', async () => {
      const addFrom = async (page: Page) => {
        await page.goto(shop('coreldove', '/products/fjord-opal-pendant'))
        await page.getByRole('button', { name: 'Add to cart' }).click()
        const status = page.getByRole('status').getByText(/Added to your cart|Too many/)
        await status.waitFor()
        return (await status.textContent())?.trim()
      }
      const page = await newPage({ 'x-forwarded-for': '203.0.113.70' })
      for (let i = 0; i < 10; i++) expect(await addFrom(page)).toMatch(/^Added to your cart\./)
      expect(await addFrom(page)).toMatch(
        /^Too many cart changes in a short time; try again in (\d+ seconds?|1 minute)\.$/,
      )
      await page.context().close()
      const other = await newPage({ 'x-forwarded-for': '203.0.113.71' })
      expect(await addFrom(other)).toMatch(/^Added to your cart\./)
      await other.context().close()
    })
  })

  it('answers malformed paths, queries, bodies and server actions on every route with no 5xx', async () => {
    // Read from the app directory, so a page added later is probed too; the proxy adds /<tenant>/<region>.
    const routes = await appRoutes(path.resolve(import.meta.dirname, '../app'), '/[tenant]/[region]')
    expect(routes.map((r) => r.template)).toEqual(expect.arrayContaining(['/products/[handle]', '/api/revalidate']))
    const failures = await sendProbes(storefront.port, malformedProbes(routes), { host: 'coreldove.localhost' })
    // The revalidate endpoint past its bearer check: malformed bodies must get a 400 there.
    const revalidate = routes.filter((r) => r.template === '/api/revalidate')
    failures.push(
      ...(await sendProbes(storefront.port, malformedProbes(revalidate), {
        host: 'coreldove.localhost',
        headers: { authorization: `Bearer ${REVALIDATE_SECRET}` },
      })),
    )
    expect(failures).toEqual([])
  })

  it('serves /metrics with the traffic just made, by route pattern, and gives every page request an id', async () => {
    const product = await getWithHost(storefront.port, 'coreldove.localhost', '/products/fjord-opal-pendant')
    expect(product.status).toBe(200)
    expect(product.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    // A caller's usable id is kept (a load balancer's, say).
    const withId = await new Promise<string | undefined>((resolve, reject) =>
      http
        .get(
          {
            host: '127.0.0.1',
            port: storefront.port,
            path: '/about',
            headers: { host: 'coreldove.localhost', 'x-request-id': 'lb-request-42' },
          },
          (res) => {
            res.resume()
            resolve(res.headers['x-request-id'] as string | undefined)
          },
        )
        .on('error', reject),
    )
    expect(withId).toBe('lb-request-42')
    const res = await fetch(`http://127.0.0.1:${storefront.port}/metrics`)
    expect(res.status).toBe(200)
    const families = parseMetrics(await res.text())
    const duration = 'http_server_request_duration_seconds'
    expect(
      histogramCount(families, duration, { route: '/products/:handle', status_code: '200', service: 'storefront' }),
    ).toBeGreaterThanOrEqual(2)
    expect(histogramCount(families, duration, { route: '/:slug+', status_code: '200' })).toBeGreaterThanOrEqual(1)
    // Route labels are patterns: never a product handle or a query string.
    const routes = families.get(`${duration}_count`)!.metrics.map((m) => m.labels?.route ?? '')
    expect(routes.filter((r) => r.includes('fjord') || r.includes('?'))).toEqual([])
    expect(sampleValue(families, 'process_resident_memory_bytes', { service: 'storefront' })).toBeGreaterThan(0)
  })

  it('keeps serving cached pages when Payload is down, and answers the rest with the shop’s branded 503, logged once a minute', async () => {
    const productPath = '/products/fjord-opal-pendant'
    for (const p of ['/about', productPath])
      expect((await getWithHost(storefront.port, 'coreldove.localhost', p)).status).toBe(200)
    const outageLines = () =>
      storefront
        .output()
        .split('\n')
        .filter((l) => l.includes('content service (Payload) is unavailable'))
    expect(outageLines()).toEqual([])
    await rest.close()
    // The proxy probes Payload in the background (every 5 s, prompted by requests): wait until it noticed,
    // asking only for a cached page meanwhile.
    await pollUntil(
      'the storefront notices that Payload is down',
      async () => {
        const cached = await getWithHost(storefront.port, 'coreldove.localhost', '/about')
        expect(cached.status).toBe(200)
        return outageLines().length > 0
      },
      30_000,
      500,
    )
    const cached = await getWithHost(storefront.port, 'coreldove.localhost', '/about')
    expect(cached.status).toBe(200)
    expect(cached.body).toContain('CoreLDove designs lamps in Bergen.')
    expect(missingSecurityHeaders(cached.headers)).toEqual([])
    expect((await getWithHost(storefront.port, 'coreldove.localhost', productPath)).status).toBe(200)

    // A page whose content was never cached: 503, branded, with Retry-After — every time, rendered once.
    const failedRenders = () => storefront.output().split('The content service is unreachable').length - 1
    const uncached = await getWithHost(storefront.port, 'coreldove.localhost', '/blog/a-post-never-read')
    expect(uncached.status).toBe(503)
    expect(uncached.headers['retry-after']).toBe('30')
    expect(uncached.headers['cache-control']).toBe('no-store')
    expect(missingSecurityHeaders(uncached.headers)).toEqual([])
    expect(uncached.body).toContain('We’ll be right back')
    expect(uncached.body).toContain('CoreLDove')
    const rendersAfterFirst = failedRenders()
    for (let i = 0; i < 10; i++)
      expect((await getWithHost(storefront.port, 'coreldove.localhost', '/blog/a-post-never-read')).status).toBe(503)
    expect(failedRenders()).toBe(rendersAfterFirst)

    const page = await newPage()
    const response = await page.goto(shop('coreldove', '/blog/another-post-never-read'))
    expect(response?.status()).toBe(503)
    await page.getByRole('heading', { name: 'We’ll be right back' }).waitFor()
    expect(await page.getByTestId('unavailable-brand').textContent()).toBe('CoreLDove')
    await page.screenshot({ path: path.join(shots, 'outage-503.png'), fullPage: true })
    await page.context().close()
    // Dozens of failing requests, one log line (the next comes a minute later, with the count).
    expect(outageLines()).toHaveLength(1)
  })
})

/** A file's content type and size in bytes, fetched with a Host header (getWithHost decodes text). */
function bytesWithHost(port: number, host: string, pathAndQuery: string): Promise<{ type: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathAndQuery, headers: { host } }, (res) => {
      let bytes = 0
      res.on('data', (d: Buffer) => (bytes += d.length))
      res.on('end', () => resolve({ type: String(res.headers['content-type']), bytes }))
    })
    req.on('error', reject)
    req.end()
  })
}
