/**
 * Malformed input against every route of the CMS API, as a super-admin, a tenant-admin and anonymously:
 * broken JSON, wrong types and content types, bad ids and bad query parameters. Any 5xx fails, and the
 * barrage must write nothing. The routes are read from the built config (every collection's and
 * global's endpoints — Payload's REST and auth operations are endpoints there — and `config.endpoints`)
 * and the GraphQL schema (introspected), so a route added later is probed without editing this file.
 */
import type { Endpoint, SanitizedConfig } from 'payload'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, superAdmin } from '../seed/data.ts'
import { seed } from '../seed/index.ts'
import { startTestCms } from '../test/harness.ts'

const cms = await startTestCms('malformed')
await seed(cms.payload)
afterAll(() => cms?.close())

/** Ids a person may type or a client may get wrong; each must give a 4xx (or a 404), never a 5xx. */
const BAD_IDS = [
  'not-a-number',
  '-1',
  '1e999',
  '0',
  '99999999999999999999',
  '../',
  '..%2F..%2Fetc',
  '%00',
  'x'.repeat(5000),
]

/** Query strings that are not what the route expects. */
const BAD_QUERIES = [
  'where[nonexistent][equals]=1',
  'where[id][equals]=not-a-number',
  'where[id][in]=a,b,-1',
  'where[createdAt][greater_than]=not-a-date',
  'where[id][near]=1,2',
  'where[or][0]=x',
  'where[and]=x',
  'where=garbage',
  'limit=-5',
  'limit=1e999',
  'depth=abc',
  'sort=nonexistent',
  'page=0',
  'page=abc',
  'locale=xx-not-a-locale',
  'draft=maybe',
  'select=garbage',
  'tenant=not-a-number',
  'days=abc',
]

/** Bodies of the wrong shape or content type; none of them is a valid request for any route. */
const BAD_BODIES: { type?: string; body: BodyInit }[] = [
  { type: 'application/json', body: '{"title": "unterminated' },
  { type: 'application/json', body: '{bad json}' },
  { type: 'application/json', body: '[1, 2, 3]' },
  { type: 'application/json', body: '"a string"' },
  { type: 'application/json', body: 'null' },
  { type: 'application/json', body: '12345' },
  {
    type: 'application/json',
    body: JSON.stringify({
      id: '../',
      tenant: { $ne: 1 },
      tenants: 'all',
      email: 5,
      password: ['x'],
      title: { nested: true },
      slug: 42,
      input: 'not-an-object',
      feedback: 123,
      rerun: 'yes',
      reason: ['x'],
      roles: 'super-admin',
      token: 7,
      data: 'x',
    }),
  },
  { type: 'text/plain', body: '{"looks": "like json", "but": ' },
  { type: 'application/xml', body: '<title>hi</title>' },
  { type: 'application/x-www-form-urlencoded', body: 'title=%E0%A4%A&tenant=abc' },
  {
    type: 'multipart/form-data; boundary=nope',
    body: '--nope\r\nContent-Disposition: form-data; name="_payload"\r\n\r\n{broken\r\n--nope--',
  },
  { type: 'multipart/form-data', body: 'not multipart at all' },
]

type Actor = 'super-admin' | 'tenant-admin' | 'anonymous'
const ACTORS: Record<Actor, string | undefined> = {
  'super-admin': superAdmin.email,
  'tenant-admin': 'owner@bizoholic.dev',
  anonymous: undefined,
}
const tokens = new Map<Actor, string>()
async function signIn(actor: Actor) {
  const email = ACTORS[actor]
  if (email) tokens.set(actor, await cms.login(email, DEMO_PASSWORD))
}
for (const actor of Object.keys(ACTORS) as Actor[]) await signIn(actor)

interface Route {
  method: string
  /** The path under /api with its parameters, e.g. `/posts/:id`. */
  path: string
}

/** Every REST route the config serves: each collection's and global's endpoints, and the root ones. */
function restRoutes(config: SanitizedConfig): Route[] {
  const routes: Route[] = []
  const add = (prefix: string, endpoints: Endpoint[] | false | undefined) => {
    for (const e of endpoints || [])
      routes.push({ method: e.method.toUpperCase(), path: `${prefix}${e.path === '/' ? '' : e.path}` })
  }
  for (const c of config.collections) add(`/${c.slug}`, c.endpoints)
  for (const g of config.globals) add(`/globals/${g.slug}`, g.endpoints)
  add('', config.endpoints)
  // Signing out ends the session the actor's token belongs to; probe it last.
  return routes.sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')))
}

/** `/posts/:id/versions/:version?` with every parameter set to `value`. */
const fill = (path: string, value: string) =>
  path.replace(/:[A-Za-z0-9_]+\??/g, value.startsWith('%') || value.includes('%2F') ? value : encodeURIComponent(value))

interface Probe {
  label: string
  request: () => Request
}

function probesFor(route: Route, token: string | undefined): Probe[] {
  const auth: Record<string, string> = token ? { authorization: `JWT ${token}` } : {}
  const hasParams = /:[A-Za-z0-9_]/.test(route.path)
  const takesBody = ['POST', 'PATCH', 'PUT'].includes(route.method)
  const paths = hasParams ? BAD_IDS.map((id) => fill(route.path, id)) : [route.path]
  const probes: Probe[] = []
  const make = (path: string, query: string, body?: { type?: string; body: BodyInit }) => ({
    label: `${route.method} ${path.slice(0, 80)}${query ? `?${query.slice(0, 60)}` : ''}${body ? ` [${body.type}] ${String(body.body).slice(0, 40)}` : ''}`,
    request: () =>
      new Request(`http://localhost/api${path}${query ? `?${query}` : ''}`, {
        method: route.method,
        headers: { ...auth, ...(body?.type ? { 'content-type': body.type } : {}) },
        body: body?.body,
      }),
  })
  // Every bad id, with a bad body where the route takes one (so nothing valid is ever written).
  for (const path of paths) probes.push(make(path, '', takesBody ? BAD_BODIES[0] : undefined))
  // Every bad query on the route (with the first bad id), and every bad body.
  const first = paths[0]!
  // Routes that take a body read few query parameters: a bad filter and a bad tenant are enough there.
  const queries = takesBody
    ? BAD_QUERIES.filter((q) => q.startsWith('where[and]') || q.startsWith('tenant'))
    : BAD_QUERIES
  for (const query of queries) probes.push(make(first, query, takesBody ? BAD_BODIES[6] : undefined))
  if (takesBody) for (const body of BAD_BODIES) probes.push(make(first, '', body))
  // Payload's "POST with X-HTTP-Method-Override: GET" (long queries as a body).
  if (route.method === 'GET')
    probes.push({
      label: `POST-as-GET ${first} with broken JSON`,
      request: () =>
        new Request(`http://localhost/api${first}`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'x-http-method-override': 'GET' },
          body: '{"where": ',
        }),
    })
  return probes
}

interface Failure {
  probe: string
  status: number
  body: string
}

async function send(probe: Probe): Promise<Failure | undefined> {
  const res = await cms.rest.send(probe.request())
  // Streams (server-sent events) are cancelled: only the status matters here.
  const streaming = res.headers.get('content-type')?.includes('event-stream')
  if (streaming) await res.body?.cancel()
  const body = streaming ? '' : await res.text()
  if (res.status >= 500) return { probe: probe.label, status: res.status, body: body.slice(0, 300) }
  if (res.status >= 400 && res.status !== 404 && res.status !== 405) {
    // A 4xx says what is wrong, in Payload's `{ errors: [{ message }] }` or a plugin's `{ error }`.
    const parsed = safeJson(body) as { errors?: { message?: string }[]; error?: string; message?: string } | undefined
    const message = parsed?.errors?.[0]?.message ?? parsed?.error ?? parsed?.message
    if (!message || /something went wrong/i.test(message))
      return { probe: probe.label, status: res.status, body: `no message a person can act on: ${body.slice(0, 200)}` }
  }
  return undefined
}

const safeJson = (text: string) => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Row counts and latest update per table: the barrage must not change them. */
async function snapshot(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: cms.db.url })
  await client.connect()
  try {
    const { rows } = await client.query<{ table_name: string; has_updated: boolean }>(`
      SELECT t.table_name, EXISTS (
        SELECT 1 FROM information_schema.columns c
        WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.column_name = 'updated_at') AS has_updated
      FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'`)
    const out: Record<string, string> = {}
    for (const { table_name, has_updated } of rows) {
      // Signing in (and out, which this suite probes) writes sessions and the user's login fields.
      if (table_name === 'users_sessions') continue
      // Preferences are each user's own free-form store (any key, any JSON value): saving one is not a malformed write.
      if (table_name.startsWith('payload_preferences')) continue
      // Signing back in after the logout probes is recorded (audit log) and counted (rate limits), by design.
      if (table_name === 'audit_log' || table_name === 'rate_limits') continue
      const updated = has_updated && table_name !== 'users' ? ', max(updated_at)::text' : ", ''"
      const { rows: r } = await client.query(`SELECT count(*)::text AS n ${updated} AS u FROM "${table_name}"`)
      out[table_name] = `${r[0].n} ${r[0].u ?? ''}`
    }
    return out
  } finally {
    await client.end()
  }
}

const before = await snapshot()
const routes = restRoutes(cms.config)

it('enumerates the REST routes from the config (collections, auth, globals, plugin endpoints)', () => {
  const has = (method: string, path: string) => routes.some((r) => r.method === method && r.path === path)
  expect(has('GET', '/posts/:id')).toBe(true)
  expect(has('POST', '/users/login')).toBe(true)
  expect(has('POST', '/agents/:slug/runs')).toBe(true)
  expect(has('POST', '/approvals/:id/approve')).toBe(true)
  expect(has('PUT', '/connectors/model-keys')).toBe(true)
  expect(has('POST', '/medusa/resync')).toBe(true)
  expect(has('GET', '/health')).toBe(true)
})

describe('messages a person can act on', () => {
  const send = async (init: RequestInit & { path: string }) => {
    const res = await cms.rest.send(new Request(`http://localhost/api${init.path}`, init))
    return { status: res.status, body: (await res.json()) as { errors?: { message: string }[] } }
  }

  it('a malformed id names the id and the collection', async () => {
    const res = await cms.rest.get('/posts/not-a-number', tokens.get('super-admin'))
    expect(res.status).toBe(400)
    expect(res.body.errors?.[0]?.message).toBe('"not-a-number" is not a valid id for posts')
  })

  it('broken JSON, to REST and to GraphQL, quotes the parser', async () => {
    for (const path of ['/posts', '/graphql']) {
      const res = await send({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": ' })
      expect(res.status).toBe(400)
      expect(res.body.errors?.[0]?.message).toMatch(/^The request body is not valid JSON: .+/)
    }
  })

  it('a malformed where is refused instead of read as "no condition" (a bulk delete would reach everything)', async () => {
    const before = await cms.payload.count({ collection: 'posts' })
    expect(before.totalDocs).toBeGreaterThan(0)
    const res = await cms.rest.delete('/posts?where[and]=x', tokens.get('super-admin'))
    expect(res.status).toBe(400)
    expect(res.body.errors?.[0]?.message).toMatch(/where\[and\] must be a list of conditions/)
    expect((await cms.payload.count({ collection: 'posts' })).totalDocs).toBe(before.totalDocs)
  })

  it('an unknown tenant in a plugin endpoint is a 404 naming it, and nothing runs', async () => {
    const resync = await cms.rest.post('/medusa/resync', { tenants: ['no-such-shop'] }, tokens.get('super-admin'))
    expect(resync.status).toBe(404)
    expect(resync.body.error).toBe('No tenant with the slug "no-such-shop"; nothing was re-synced.')
    const run = await cms.rest.post('/agents/seo-meta/runs', { tenant: 'abc', input: {} }, tokens.get('super-admin'))
    expect(run.status).toBe(400)
    expect(run.body.error).toBe('"abc" is not a tenant id (a positive whole number)')
  })

  it('a body of the wrong content type gets a 415 that says what to send', async () => {
    const res = await send({
      path: '/posts',
      method: 'POST',
      headers: { 'content-type': 'application/xml', authorization: `JWT ${tokens.get('super-admin')}` },
      body: '<post/>',
    })
    expect(res.status).toBe(415)
    expect(res.body.errors?.[0]?.message).toMatch(/send it as application\/json/)
  })

  it('a database that is down is still a 5xx, not the user’s mistake', async () => {
    const pool = (cms.payload.db as unknown as { pool: { query: (...args: unknown[]) => Promise<unknown> } }).pool
    const original = pool.query
    // Stand-in for an outage as the posts query meets it (signing in still works): the pool refuses the
    // connection, as it does when PostgreSQL is down.
    pool.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0] as { text?: string } | string
      if ((typeof first === 'string' ? first : (first?.text ?? '')).includes('"posts"'))
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))
      return original.apply(pool, args)
    }
    try {
      const res = await cms.rest.get('/posts/1', tokens.get('super-admin'))
      expect(res.status).toBeGreaterThanOrEqual(500)
    } finally {
      pool.query = original
    }
  })
})

describe.each(Object.keys(ACTORS) as Actor[])('as %s', (actor) => {
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s answers malformed input with a 4xx',
    async (_, route) => {
      const failures: Failure[] = []
      for (const probe of probesFor(route, tokens.get(actor))) {
        const failure = await send(probe)
        if (failure) failures.push(failure)
      }
      if (route.path.endsWith('/logout')) await signIn(actor)
      expect(failures).toEqual([])
    },
  )

  it('GraphQL answers malformed requests and arguments with errors, not 5xx', async () => {
    const failures: Failure[] = []
    for (const probe of graphqlProbes(tokens.get(actor))) {
      const res = await cms.rest.send(probe.request())
      const text = await res.text()
      const parsed = safeJson(text) as
        | { errors?: { message: string; extensions?: { statusCode?: number } }[] }
        | undefined
      const serverError = parsed?.errors?.find((e) => (e.extensions?.statusCode ?? 0) >= 500)
      if (res.status >= 500 || serverError)
        failures.push({
          probe: probe.label,
          status: serverError?.extensions?.statusCode ?? res.status,
          body: text.slice(0, 300),
        })
    }
    expect(failures).toEqual([])
  })
})

it('the malformed requests wrote nothing', async () => {
  expect(await snapshot()).toEqual(before)
})

interface SchemaField {
  name: string
  args: { name: string; type: TypeRef }[]
  type: TypeRef
}
interface TypeRef {
  kind: string
  name: string | null
  ofType: TypeRef | null
}

const introspection = await cms.graphql(
  `{ __schema {
      queryType { fields { ...F } }
      mutationType { fields { ...F } }
    } }
    fragment F on __Field { name type { ...T } args { name type { ...T } } }
    fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`,
  tokens.get('super-admin'),
)
const schema = introspection.data?.__schema as {
  queryType: { fields: SchemaField[] }
  mutationType: { fields: SchemaField[] }
}

const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t)
const required = (t: TypeRef) => t.kind === 'NON_NULL'

/** Literals per argument: bad ids, bad paging and filters, empty data only where an id picks the document. */
function badArguments(field: SchemaField): string[][] {
  const variants: string[][] = []
  const idArg = field.args.find((a) => a.name === 'id')
  const idType = idArg ? named(idArg.type).name : undefined
  const ids =
    idType === 'Int'
      ? ['-1', '0', '2147483647']
      : ['"not-a-number"', '"-1"', '"1e999"', '"../"', `"${'x'.repeat(5000)}"`]
  const rest = (overrides: Record<string, string>) =>
    field.args
      .filter((a) => a.name in overrides || required(a.type))
      .map((a) => `${a.name}: ${a.name in overrides ? overrides[a.name] : fallback(a, Boolean(idArg))}`)
  if (idArg) for (const id of ids) variants.push(rest({ id }))
  const listArgs: Record<string, string[]> = {
    where: [
      '{ id: { equals: "not-a-number" } }',
      '{ id: { in: ["a", "-1"] } }',
      '{ createdAt: { greater_than: "not-a-date" } }',
    ],
    limit: ['-5'],
    page: ['0', '-3'],
    sort: ['"nonexistent"'],
    locale: ['xx'],
    draft: ['true'],
  }
  for (const [name, values] of Object.entries(listArgs))
    if (field.args.some((a) => a.name === name)) for (const value of values) variants.push(rest({ [name]: value }))
  if (!variants.length) variants.push(rest({}))
  return variants
}

/** A value for a required argument that is not the one probed: `{}` as data when a bad id decides first, else a wrong type. */
function fallback(arg: { name: string; type: TypeRef }, hasId: boolean): string {
  const type = named(arg.type)
  if (type.kind === 'INPUT_OBJECT') return hasId ? '{}' : '"not-an-object"'
  if (type.name === 'Int' || type.name === 'Float') return '-1'
  if (type.name === 'Boolean') return 'true'
  return '"../"'
}

function graphqlProbes(token: string | undefined): Probe[] {
  const auth: Record<string, string> = token ? { authorization: `JWT ${token}` } : {}
  const post = (label: string, body: string, type = 'application/json'): Probe => ({
    label,
    request: () =>
      new Request('http://localhost/api/graphql', { method: 'POST', headers: { ...auth, 'content-type': type }, body }),
  })
  const probes: Probe[] = [
    post('broken JSON', '{"query": "{ Posts { docs { id } } }'),
    post('JSON array', '[1, 2]'),
    post('query of the wrong type', '{"query": 5}'),
    post('no query', '{}'),
    post('unparsable query', '{"query": "{ Posts { docs { id "}'),
    post(
      'variables of the wrong type',
      '{"query": "query($id: Int!) { Post(id: $id) { id } }", "variables": {"id": "not-a-number"}}',
    ),
    post('variables not an object', '{"query": "{ __typename }", "variables": "x"}'),
    post('text/plain body', '{"query": "{ __typename }"', 'text/plain'),
    post('form body', 'query=%E0%A4%A', 'application/x-www-form-urlencoded'),
  ]
  for (const [kind, fields] of [
    ['query', schema.queryType.fields],
    ['mutation', schema.mutationType.fields],
  ] as const)
    for (const field of fields) {
      // Signing out would end the actor's session for the rest of the file.
      if (/^logout/i.test(field.name)) continue
      const selection = ['OBJECT', 'INTERFACE', 'UNION'].includes(named(field.type).kind) ? ' { __typename }' : ''
      for (const args of badArguments(field)) {
        const call = `${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection}`
        probes.push(post(`${kind} ${call.slice(0, 120)}`, JSON.stringify({ query: `${kind} { ${call} }` })))
      }
    }
  return probes
}
