/**
 * The README's first command, for real: `pnpm dev` with no DATABASE_URL starts embedded PostgreSQL,
 * migrates, seeds and serves the CMS; Ctrl-C stops everything, PostgreSQL included.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_MEDUSA_ADMIN } from './lib/commerce.ts'
import { repoRoot } from './lib/env.ts'
import { freePort, portInUse } from './lib/ports.ts'
import { adminAgentsJourney, apiToken } from './test/admin-agents.ts'

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx')
const started: ChildProcess[] = []
const dirs: string[] = []

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL')
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

function startDev(env: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
  for (const key of [
    'DATABASE_URL',
    'PAYLOAD_SECRET',
    'MEDIA_DIR',
    'OPENAI_API_KEY',
    'ANTHROPIC_API_KEY',
    'MOCK_LLM_URL',
  ])
    if (!(key in env)) delete childEnv[key]
  const child = spawn(tsx, ['scripts/dev.ts'], { cwd: repoRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, output: () => output }
}

/**
 * fetch, tried once more when the connection is reset: on a loaded machine a dev server may close an
 * idle keep-alive socket just as the next request goes out on it. Any HTTP answer is returned as is.
 */
async function fetchRetrying(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error
    return fetch(url, init)
  }
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  log: () => string,
  exited: () => boolean = () => false,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await fn().catch(() => undefined)
    if (value !== undefined) return value
    if (exited()) break
    await new Promise((r) => setTimeout(r, 1000))
  }
  throw new Error(`timed out waiting for ${what}; output so far:\n${log()}`)
}

describe('pnpm dev', () => {
  let dev: ReturnType<typeof startDev>
  let base: string
  let pgPort: number
  let cmsPort: number
  let commercePort: number

  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-dev-'))
    dirs.push(dataDir)
    await chmod(dataDir, 0o755)
    pgPort = await freePort()
    cmsPort = await freePort()
    commercePort = await freePort()
    dev = startDev({
      COMMERCE_PORT: String(commercePort),
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      CMS_PORT: String(cmsPort),
      MOCK_LLM_PORT: String(await freePort()),
      MOCK_OAUTH_PORT: String(await freePort()),
      MOCK_GOOGLE_PORT: String(await freePort()),
      MOCK_WEBHOOKS_PORT: String(await freePort()),
      MOCK_SMTP_PORT: String(await freePort()),
      STOREFRONT_PORT: String(await freePort()),
      NEXT_DIST_DIR: '.next-smoke',
      STOREFRONT_DIST_DIR: '.next-smoke',
    })
    base = `http://localhost:${cmsPort}`
  }, 60_000)

  it('starts the CMS on embedded PostgreSQL with no DATABASE_URL, seeded, with the agents API up', async () => {
    const health = await until(
      'GET /api/health = 200',
      async () => {
        const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(120_000) })
        return res.status === 200 ? ((await res.json()) as { database: { reachable: boolean } }) : undefined
      },
      360_000,
      dev.output,
      () => dev.child.exitCode !== null,
    )
    expect(health.database.reachable).toBe(true)

    const login = await fetch(`${base}/admin/login`, { signal: AbortSignal.timeout(180_000) })
    expect(login.status).toBe(200)
    const html = await login.text()
    expect(html).toContain('<title>Login')
    // Security headers (cms/src/security-headers.ts): the admin's CSP carries a fresh nonce (dev mode:
    // plus 'unsafe-eval' for React refresh, no HSTS); the API lets nothing run; nobody may frame either.
    const adminCsp = login.headers.get('content-security-policy') ?? ''
    const nonce = adminCsp.match(/'nonce-([^']+)'/)?.[1]
    expect(nonce, adminCsp).toBeTruthy()
    expect(adminCsp).toContain("frame-ancestors 'none'")
    // Next put this response's nonce on its scripts (the admin journey below fails on any violation).
    expect(html).toContain(`nonce="${nonce}"`)
    const apiCsp = (await fetch(`${base}/api/health`)).headers
    expect(apiCsp.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
    for (const headers of [login.headers, apiCsp]) {
      expect(headers.get('x-content-type-options')).toBe('nosniff')
      expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(headers.get('x-frame-options')).toBe('DENY')
    }

    await until(
      'the banner with demo logins',
      async () => (dev.output().includes('admin@bizosaas.dev') ? true : undefined),
      30_000,
      dev.output,
    )
    expect(dev.output()).toContain(`${base}/admin`)
    expect(dev.output()).toMatch(/offline mock LLM/)
    // The agents API is up, with the in-process worker behind it.
    const agents = await fetch(`${base}/api/agents`, {
      headers: { authorization: `JWT ${await apiToken(base, 'manager@bizoholic.dev')}` },
    })
    expect(agents.status).toBe(200)

    // Medusa runs beside it on its own database, seeded: CoreLDove's key lists CoreLDove's shop.
    const commerce = await fetch(`http://localhost:${commercePort}/health`)
    expect(commerce.status).toBe(200)
    const key = dev.output().match(/coreldove\s+sales channel \S+, publishable key (pk_\w+)/)?.[1]
    expect(key, "the banner names CoreLDove's publishable key").toBeDefined()
    const products = await fetch(`http://localhost:${commercePort}/store/products?limit=50&fields=id,title`, {
      headers: { 'x-publishable-api-key': key! },
    })
    expect(products.status).toBe(200)
    expect(((await products.json()) as { count: number }).count).toBe(20)
    // Medusa's admin is served at /app.
    const medusaAdmin = await fetch(`http://localhost:${commercePort}/app`, { signal: AbortSignal.timeout(120_000) })
    expect(medusaAdmin.status).toBe(200)
    expect(await medusaAdmin.text()).toContain('<div id="medusa"')
  }, 600_000)

  it('commerce bridge: tenants are linked, product content is synced, and a change in Medusa reaches the CMS', async () => {
    const editor = await apiToken(base, 'manager@coreldove.dev')
    const get = async (pathAndQuery: string) => {
      const res = await fetchRetrying(`${base}/api${pathAndQuery}`, { headers: { authorization: `JWT ${editor}` } })
      expect(res.status).toBe(200)
      return (await res.json()) as { totalDocs: number; docs: Record<string, unknown>[] }
    }
    const tenant = (await get('/tenants?where[slug][equals]=coreldove&depth=0')).docs[0] as {
      commerce: { salesChannelId?: string; publishableKey?: string }
    }
    expect(tenant.commerce.salesChannelId ?? `not linked:\n${dev.output().slice(-4000)}`).toMatch(/^sc_/)
    expect(dev.output()).toContain(tenant.commerce.publishableKey!)
    // `pnpm dev` re-syncs on start: CoreLDove's 20 products have their content documents.
    await until(
      '20 CoreLDove product-content documents',
      async () => ((await get('/product-content?limit=1&depth=0')).totalDocs === 20 ? true : undefined),
      120_000,
      dev.output,
    )

    // Renaming a product in Medusa's admin API reaches Payload through the subscriber and the CMS worker.
    const medusa = `http://localhost:${commercePort}`
    const auth = await fetchRetrying(`${medusa}/auth/user/emailpass`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_MEDUSA_ADMIN),
    })
    const { token } = (await auth.json()) as { token: string }
    const [doc] = (await get('/product-content?limit=1&depth=0&sort=title')).docs as { medusaProductId: string }[]
    const title = `Renamed in Medusa ${Date.now()}`
    const update = await fetchRetrying(`${medusa}/admin/products/${doc!.medusaProductId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title }),
    })
    expect(update.status).toBe(200)
    await until(
      'the renamed product in product-content',
      async () =>
        (await get(`/product-content?where[medusaProductId][equals]=${doc!.medusaProductId}&depth=0`)).docs[0]
          ?.title === title
          ? true
          : undefined,
      60_000,
      dev.output,
    )
  }, 300_000)

  it('admin: an editor runs SEO meta on a post, reviews current vs proposed, approves, sees the new meta title', async () => {
    await adminAgentsJourney(base, dev.output)
  }, 600_000)

  it('Ctrl-C stops everything, PostgreSQL last', async () => {
    const exitedBefore = dev.child.exitCode
    dev.child.kill('SIGINT')
    const code = await dev.exited
    const tail = dev.output().slice(-4000)
    expect(exitedBefore, `pnpm dev had already exited before Ctrl-C; its output ends:\n${tail}`).toBeNull()
    expect(code, `pnpm dev's exit code after Ctrl-C; its output ends:\n${tail}`).toBe(0)
    expect(dev.output()).toContain('stopping embedded PostgreSQL')
    expect(await portInUse(pgPort, '127.0.0.1')).toBe(false)
    expect(await portInUse(cmsPort)).toBe(false)
    expect(await portInUse(commercePort)).toBe(false)
  }, 120_000)
})

describe('pnpm dev refuses to start', () => {
  it('stops with one clear message for a malformed DATABASE_URL', async () => {
    const dev = startDev({ DATABASE_URL: 'mysql://root@localhost/shop', CMS_PORT: String(await freePort()) })
    expect(await dev.exited).toBe(1)
    expect(dev.output()).toMatch(/DATABASE_URL must be a PostgreSQL URL/)
  }, 60_000)

  it('stops with one clear message when the CMS port is taken', async () => {
    const blocker = createServer().listen(0)
    await new Promise((r) => blocker.once('listening', r))
    const port = (blocker.address() as { port: number }).port
    try {
      const dev = startDev({ CMS_PORT: String(port), DATA_DIR: path.join(tmpdir(), 'bizosaas-unused') })
      expect(await dev.exited).toBe(1)
      expect(dev.output()).toMatch(new RegExp(`Port ${port} \\(CMS\\) is in use.*CMS_PORT`))
    } finally {
      blocker.close()
    }
  }, 60_000)
})
