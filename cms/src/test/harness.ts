/**
 * Integration-test harness for the CMS: a real Payload on its own PostgreSQL database (copied from
 * a template migrated once per run with the real `payload migrate`), and clients that drive the real
 * REST and GraphQL route handlers the Next.js app serves.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { databaseUrl, ensureDatabase } from '@bizosaas/scripts/postgres'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import type { Payload, SanitizedConfig } from 'payload'
import pg from 'pg'
import { inject } from 'vitest'
import type { CmsConfigOptions } from '../config.ts'
import { runPayloadCli } from './cli.ts'

const migrationsDir = path.resolve(import.meta.dirname, '../migrations')
export const TEST_SECRET = 'bizosaas-test-secret-0123456789abcdef'

/** The template's name changes with the migrations, so an edited migration never reuses a stale copy. */
async function templateName(): Promise<string> {
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort()
  return `bizosaas_cms_template_${createHash('sha1').update(files.join('|')).digest('hex').slice(0, 10)}`
}

/** Creates (once per server, under an advisory lock) a database with every migration applied. */
export async function migratedTemplate(): Promise<string> {
  const adminUrl = inject('postgresAdminUrl')
  const name = await templateName()
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock(727274)')
    const { rows } = await client.query('SELECT datistemplate FROM pg_database WHERE datname = $1', [name])
    if (rows[0]?.datistemplate) return name
    if (rows.length) await client.query(`DROP DATABASE "${name}" WITH (FORCE)`)
    await ensureDatabase(adminUrl, name)
    await runPayloadCli(['migrate'], { DATABASE_URL: databaseUrl(adminUrl, name) })
    // Marked only once complete, so a crash mid-migration is retried rather than copied.
    await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true`)
    return name
  } finally {
    await client.query('SELECT pg_advisory_unlock(727274)').catch(() => {})
    await client.end()
  }
}

export interface TestCms {
  payload: Payload
  config: SanitizedConfig
  db: TestDatabase
  rest: RestClient
  graphql: (query: string, token?: string, variables?: Record<string, unknown>) => Promise<GraphQLResult>
  login: (email: string, password: string) => Promise<string>
  close: () => Promise<void>
}

export interface GraphQLResult {
  status: number
  data?: Record<string, unknown> | null
  errors?: { message: string }[]
}

/**
 * Starts Payload on a fresh, migrated database. Call once per test file (the config reads its
 * environment at import time, and Vitest isolates modules per file).
 */
export async function startTestCms(label: string, options: CmsConfigOptions = {}): Promise<TestCms> {
  const db = await createTestDatabase(`cms_${label}`, await migratedTemplate())
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-media-'))
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    PAYLOAD_SECRET: TEST_SECRET,
    MEDIA_DIR: mediaDir,
    NODE_ENV: 'test',
  })

  const { cmsConfig } = await import('../config.ts')
  const { buildConfig, getPayload } = await import('payload')
  const config = await buildConfig(cmsConfig(options))
  const payload = await getPayload({ config })
  const rest = await RestClient.create(config)
  const { graphqlRoutes } = await import('../api/routes.ts')
  const graphqlHandler = graphqlRoutes(config).POST

  return {
    payload,
    config,
    db,
    rest,
    async graphql(query, token, variables) {
      const res = await graphqlHandler(
        new Request('http://localhost/api/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        }),
      )
      return { status: res.status, ...((await res.json()) as object) }
    },
    async login(email, password) {
      const res = await rest.post('/users/login', { email, password })
      if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`)
      return (res.body as { token: string }).token
    },
    async close() {
      const pool = (payload.db as unknown as { pool?: PgPool }).pool
      await payload.destroy()
      // Payload's destroy leaves its pg pool open, with one client it holds for good (it handles that
      // client's errors). End the others before the database is dropped under them.
      if (pool && !pool.ending) {
        // A client still closing when the database is dropped gets "terminating connection" (57P01); the
        // pool re-emits it, and a pool without a listener would crash the test process with it.
        pool.on?.('error', () => {})
        void pool.end().catch(() => {})
        for (let i = 0; i < 60 && pool.totalCount > 1; i++) await new Promise((r) => setTimeout(r, 50))
      }
      await db.drop()
      await rm(mediaDir, { recursive: true, force: true })
    },
  }
}

interface PgPool {
  end(): Promise<void>
  on?(event: 'error', listener: (error: Error) => void): unknown
  ending?: boolean
  totalCount: number
}

type Handler = (req: Request, args: { params: Promise<{ slug?: string[] }> }) => Promise<Response>
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS'

export interface RestResponse {
  status: number
  body: Record<string, unknown> & { docs?: Record<string, unknown>[]; errors?: { message: string }[] }
}

/** Calls the REST route handlers of `app/(payload)/api/[...slug]/route.ts` with real Requests. */
export class RestClient {
  private constructor(private handlers: Record<Method, Handler> & { GRAPHQL: (req: Request) => Promise<Response> }) {}

  static async create(config: SanitizedConfig): Promise<RestClient> {
    // The handlers the app serves, with its error mapping (api/routes.ts).
    const { graphqlRoutes, restRoutes } = await import('../api/routes.ts')
    return new RestClient({ ...restRoutes(config), GRAPHQL: graphqlRoutes(config).POST })
  }

  /**
   * Sends a Request exactly as given (any method, headers and body) to the route the app would: GraphQL
   * for `/api/graphql`, else the REST catch-all with the path's segments as its params.
   */
  async send(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/api/graphql' && request.method === 'POST') return this.handlers.GRAPHQL(request)
    const handler = this.handlers[request.method.toUpperCase() as Method]
    if (!handler) return new Response(null, { status: 405 })
    // Next.js hands the catch-all its segments decoded.
    const slug = url.pathname
      .replace(/^\/api\//, '')
      .split('/')
      .filter(Boolean)
      .map((segment) => {
        try {
          return decodeURIComponent(segment)
        } catch {
          return segment
        }
      })
    return handler(request, { params: Promise.resolve({ slug }) })
  }

  async request(method: Method, pathAndQuery: string, options: { token?: string; body?: unknown } = {}) {
    const url = new URL(`http://localhost/api${pathAndQuery}`)
    const headers: Record<string, string> = {}
    if (options.token) headers.authorization = `JWT ${options.token}`
    let body: BodyInit | undefined
    if (options.body instanceof FormData) body = options.body
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.body)
    }
    const slug = url.pathname
      .replace(/^\/api\//, '')
      .split('/')
      .filter(Boolean)
    const res = await this.handlers[method](new Request(url, { method, headers, body }), {
      params: Promise.resolve({ slug }),
    })
    const text = await res.text()
    let parsed: RestResponse['body'] = {}
    try {
      parsed = text ? JSON.parse(text) : {}
    } catch {
      parsed = { raw: text }
    }
    return { status: res.status, body: parsed } satisfies RestResponse
  }

  get = (p: string, token?: string) => this.request('GET', p, { token })
  post = (p: string, body: unknown, token?: string) => this.request('POST', p, { token, body })
  patch = (p: string, body: unknown, token?: string) => this.request('PATCH', p, { token, body })
  delete = (p: string, token?: string) => this.request('DELETE', p, { token })
}
