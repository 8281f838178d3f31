/**
 * Tenant export, import and deletion end to end on a real CMS (Payload, PostgreSQL, pg-boss) seeded with
 * Bizoholic and CoreLDove, plus agent runs (one pointing forward at a later run), steps, approvals,
 * settings, a vault secret, a post whose rich text embeds an upload, a German title, a user in both
 * tenants, and queued jobs and a schedule naming each tenant. Export streams over real HTTP; deletion
 * runs as the pg-boss job; the archive is imported into an empty database through the CLI and
 * compared document by document; every table with a tenant column is counted before and after.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { DEMO_PASSWORD, seed, superAdmin } from '@bizosaas/cms/seed'
import {
  migratedTemplate,
  type PayloadRestServer,
  runPayloadCli,
  servePayloadRest,
  startTestCms,
  type TestCms,
} from '@bizosaas/cms/test'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import { until } from '@bizosaas/scripts/test/until'
import type { Payload } from 'payload'
import tar from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DELETE_QUEUE } from './constants.ts'
import { startTenantDataWorker, type TenantDataWorker } from './deletion.ts'
import { extractArchive } from './import.ts'
import { tenantDataBossOf } from './queue.ts'
import { readArchive } from './test/archive-contents.ts'
import { query, tenantRowCounts } from './test/tenant-rows.ts'
import type { TenantDataEvent } from './types.ts'

type Doc = Record<string, unknown> & { id: number }

const SECRET = 'sk-test-NEVER-EXPORTED-4242'
const FIXTURE_QUEUE = 'agent.tenant-data-fixture'
let cms: TestCms
let payload: Payload
let server: PayloadRestServer
let worker: TenantDataWorker | undefined
let work: string
let archiveFile: string
let adminToken: string
let ownerToken: string
const events: TenantDataEvent[] = []
const ids = { bizoholic: 0, coreldove: 0, shared: 0, owner: 0, run1: 0, run2: 0, media: 0, post: 0, postSlug: '' }

beforeAll(async () => {
  cms = await startTestCms('tenant_data', {
    // Medusa configured but not reachable: the deletion records it and goes on.
    medusa: { url: 'http://127.0.0.1:9', apiKey: 'sk_unreachable', timeoutMs: 2_000 },
    // Small batches, so a handful of seeded documents take several.
    tenantData: { batchSize: 3, onEvent: (event) => void events.push(event) },
  })
  payload = cms.payload
  await seed(payload)
  work = await mkdtemp(path.join(tmpdir(), 'bizosaas-tenant-data-'))
  archiveFile = path.join(work, 'bizoholic.tar.gz')
  const tenantId = async (slug: string) =>
    (await payload.find({ collection: 'tenants', where: { slug: { equals: slug } }, depth: 0 })).docs[0]!.id as number
  ids.bizoholic = await tenantId('bizoholic')
  ids.coreldove = await tenantId('coreldove')
  ids.owner = (await payload.find({ collection: 'users', where: { email: { equals: 'owner@bizoholic.dev' } } }))
    .docs[0]!.id as number

  // A shop that was linked once: Medusa is down, so disabling it must be recorded, not fatal.
  await payload.update({
    collection: 'tenants',
    id: ids.bizoholic,
    data: { commerce: { enabled: true, salesChannelId: 'sc_gone', publishableKeyId: 'apk_gone' } } as never,
    context: { medusaTenantLink: true },
  })
  const shared = await payload.create({
    collection: 'users',
    data: {
      email: 'shared@agency.dev',
      password: DEMO_PASSWORD,
      tenants: [
        { tenant: ids.bizoholic, roles: ['client'] },
        { tenant: ids.coreldove, roles: ['tenant-admin'] },
      ],
    } as never,
  })
  ids.shared = shared.id as number

  const media = (await payload.find({ collection: 'media', where: { tenant: { equals: ids.bizoholic } }, depth: 0 }))
    .docs as unknown as Doc[]
  ids.media = media[0]!.id
  const post = (await payload.find({ collection: 'posts', where: { tenant: { equals: ids.bizoholic } }, depth: 0 }))
    .docs[0] as unknown as Doc
  ids.post = post.id
  ids.postSlug = String(post.slug)
  const content = structuredClone(post.content) as { root: { children: unknown[] } }
  content.root.children.push({
    type: 'upload',
    version: 3,
    format: '',
    relationTo: 'media',
    value: media[1]!.id,
    fields: null,
    id: '65f0c0ffee0000000000abcd',
  })
  await payload.update({ collection: 'posts', id: post.id, data: { content } as never })
  await payload.update({
    collection: 'posts',
    id: post.id,
    locale: 'de',
    data: { title: 'Fünf SEO-Korrekturen', content } as never,
  })

  const run = (data: Record<string, unknown>) =>
    payload.create({ collection: 'agent-runs', data: { tenant: ids.bizoholic, agent: 'seo-meta', ...data } as never })
  ids.run1 = (
    await run({
      runId: 'run-1',
      status: 'succeeded',
      target: { collection: 'posts', docId: String(post.id) },
      trigger: { kind: 'manual', user: ids.owner },
    })
  ).id as number
  ids.run2 = (await run({ runId: 'run-2', status: 'awaiting-approval', previousRun: ids.run1 })).id as number
  // A reference to a later document of the same collection: import fills it in a second pass.
  await payload.update({ collection: 'agent-runs', id: ids.run1, data: { previousRun: ids.run2 } as never })
  for (const seq of [1, 2])
    await payload.create({
      collection: 'agent-steps',
      data: {
        tenant: ids.bizoholic,
        agentRun: ids.run2,
        runId: 'run-2',
        agent: 'seo-meta',
        seq,
        kind: 'model-call',
      } as never,
    })
  await payload.create({
    collection: 'approvals',
    data: {
      tenant: ids.bizoholic,
      agentRun: ids.run2,
      runId: 'run-2',
      agent: 'seo-meta',
      status: 'pending',
      proposed: { title: 'New' },
      reviewer: ids.owner,
      target: { collection: 'posts', docId: String(post.id) },
    } as never,
  })
  await payload.create({
    collection: 'agent-settings',
    data: { tenant: ids.bizoholic, agent: 'seo-meta', enabled: true, monthlyBudgetUsd: 5 } as never,
  })
  // A connection as the connectors plugin stores one: its key sealed (here a stand-in seal naming it).
  await payload.create({
    collection: 'connections' as never,
    data: {
      tenant: ids.bizoholic,
      connector: 'openai',
      name: 'OpenAI',
      status: 'connected',
      secretHint: `…${SECRET.slice(-4)}`,
      ciphertext: `v1.${Buffer.from(SECRET).toString('base64url')}`,
      keyId: 'k1',
    } as never,
  })

  // Queued work and a schedule for each tenant: the deletion removes Bizoholic's only.
  const boss = await tenantDataBossOf(payload)
  await boss.createQueue(FIXTURE_QUEUE)
  for (const tenant of [ids.bizoholic, ids.coreldove]) {
    await boss.send(FIXTURE_QUEUE, { tenant: String(tenant), input: {} })
    await boss.schedule(FIXTURE_QUEUE, '0 6 * * 1', { tenant: String(tenant) }, { key: `${tenant}/agent-settings` })
  }

  server = await servePayloadRest(cms.config)
  adminToken = await cms.login(superAdmin.email, DEMO_PASSWORD)
  ownerToken = await cms.login('owner@bizoholic.dev', DEMO_PASSWORD)
})

afterAll(async () => {
  await worker?.stop({ graceMs: 1_000 })
  await server?.close()
  await cms?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

const http = (p: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${server.url}/api${p}`, {
    ...init,
    headers: { ...(init.token ? { authorization: `JWT ${init.token}` } : {}), ...init.headers },
    // Node's fetch needs this for a streamed request body.
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit)

const postArchive = (file: string, token = adminToken) =>
  http('/tenant-import', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/gzip' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
  })

/** Jobs not started yet, in any queue, whose data names the tenant. */
const queuedJobsOf = (tenant: number) =>
  query<{ name: string }>(
    cms.db.url,
    `SELECT name FROM pgboss.job WHERE state IN ('created', 'retry') AND data->>'tenant' = $1 ORDER BY name`,
    [String(tenant)],
  )

const jobRow = async (id: number) => (await payload.findByID({ collection: 'tenant-data-jobs' as never, id })) as Doc

describe('access', () => {
  it('refuses everyone but platform admins on every endpoint (401 signed out, 403 tenant roles)', async () => {
    const manager = await cms.login('manager@bizoholic.dev', DEMO_PASSWORD)
    const calls = (token?: string) => [
      http(`/tenants/${ids.bizoholic}/export`, { token }),
      http(`/tenants/${ids.bizoholic}/deletion`, { token, method: 'POST', body: '{"dryRun":true}' }),
      http(`/tenants/${ids.bizoholic}/deletion`, { token, method: 'POST', body: '{}' }),
      http(`/tenants/${ids.bizoholic}/deletion`, { token }),
      http('/tenant-import', { token, method: 'POST', headers: { 'content-type': 'application/gzip' }, body: 'x' }),
    ]
    for (const res of await Promise.all(calls())) expect(res.status).toBe(401)
    for (const token of [ownerToken, manager])
      for (const res of await Promise.all(calls(token))) {
        expect(res.status).toBe(403)
        expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/platform admin/)
      }
    // The job records too.
    expect((await cms.rest.get('/tenant-data-jobs', ownerToken)).status).toBe(403)
    expect(await payload.count({ collection: 'tenant-data-jobs' as never })).toEqual({ totalDocs: 0 })
  })
})

describe('bad input', () => {
  it('answers malformed ids, bodies and uploads with a 4xx naming the problem, and writes nothing', async () => {
    const cases: [Promise<Response>, number, RegExp][] = [
      [http('/tenants/abc/export', { token: adminToken }), 400, /number/],
      [http('/tenants/-4/deletion', { token: adminToken }), 400, /positive/],
      [http('/tenants/999999/export', { token: adminToken }), 404, /No tenant/],
      [http('/tenants/999999/deletion', { token: adminToken }), 404, /No deletion/],
      [
        http('/tenants/999999/deletion', { token: adminToken, method: 'POST', body: '{"dryRun":true}' }),
        404,
        /No tenant/,
      ],
      [
        http(`/tenants/${ids.bizoholic}/deletion`, { token: adminToken, method: 'POST', body: '{"dryRun":' }),
        400,
        /JSON/,
      ],
      [
        http(`/tenants/${ids.bizoholic}/deletion`, { token: adminToken, method: 'POST', body: '{"dryRun":"yes"}' }),
        400,
        /dryRun/,
      ],
      [
        http(`/tenants/${ids.bizoholic}/deletion`, { token: adminToken, method: 'POST', body: '{"everything":true}' }),
        400,
        /everything/,
      ],
      [
        http('/tenant-import', {
          token: adminToken,
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: 'x',
        }),
        415,
        /application\/gzip/,
      ],
      [
        http('/tenant-import', {
          token: adminToken,
          method: 'POST',
          headers: { 'content-type': 'application/gzip' },
          body: 'not an archive',
        }),
        400,
        /not a gzipped tenant archive/,
      ],
      [http('/tenant-import', { token: adminToken, method: 'POST', body: new FormData() }), 400, /field named "file"/],
    ]
    for (const [call, status, message] of cases) {
      const res = await call
      const body = (await res.json()) as { errors: { message: string }[] }
      expect({ status: res.status, message: body.errors[0]!.message }).toEqual({
        status,
        message: expect.stringMatching(message),
      })
    }
    // An archive whose manifest is not one of ours.
    const bogus = path.join(work, 'bogus.tar.gz')
    await writeArchive(bogus, { 'manifest.json': JSON.stringify({ format: 99 }), 'tenant.json': '{}' })
    const res = await postArchive(bogus)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /manifest\.json.*format/,
    )
    const outside = path.join(work, 'outside.tar.gz')
    await writeArchive(outside, { '../../etc/evil': 'x' })
    expect((await postArchive(outside)).status).toBe(400)
    expect(await payload.count({ collection: 'tenant-data-jobs' as never })).toEqual({ totalDocs: 0 })
    expect((await payload.count({ collection: 'tenants' })).totalDocs).toBe(2)
  })
})

/** Writes a gzipped tar of `files` (name → content). */
async function writeArchive(file: string, files: Record<string, string | Buffer>) {
  const pack = tar.pack()
  for (const [name, content] of Object.entries(files)) pack.entry({ name }, content)
  pack.finalize()
  await pipeline(pack, createGzip(), createWriteStream(file))
}

describe('export', () => {
  it('streams the archive over HTTP with a job whose progress reaches the total, and leaves secrets out', async () => {
    const res = await http(`/tenants/${ids.bizoholic}/export`, { token: adminToken })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/gzip')
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="tenant-bizoholic-.*\.tar\.gz"/)
    const jobId = Number(res.headers.get('x-tenant-data-job'))
    const total = Number(res.headers.get('x-tenant-data-total'))
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(archiveFile))
    await until('the export job to be recorded as done', async () => (await jobRow(jobId)).status === 'succeeded')
    const job = await jobRow(jobId)
    expect(job.progress).toMatchObject({ done: total, total })
    expect(events).toContainEqual(expect.objectContaining({ type: 'export', jobId }))

    const archive = await readArchive(payload, archiveFile)
    const count = (collection: string) =>
      payload.count({ collection: collection as never, where: { tenant: { equals: ids.bizoholic } } })
    for (const slug of [
      'pages',
      'posts',
      'categories',
      'media',
      'agent-runs',
      'agent-steps',
      'approvals',
      'agent-settings',
      'connections',
    ])
      expect([slug, archive.documents[slug]!.length]).toEqual([slug, (await count(slug)).totalDocs])
    expect(total).toBe(Object.values(archive.documents).reduce((n, d) => n + d.length, 0))
    // Every media document brought its original file and resized copies.
    expect(archive.entries.filter((e) => e.startsWith('media/media/')).length).toBeGreaterThanOrEqual(
      archive.documents.media!.length * 2,
    )
    // Members with their roles in this tenant only; the shared user is a client here (not CoreLDove's admin).
    expect(archive.members).toContainEqual({ email: 'shared@agency.dev', roles: ['client'] })
    expect(archive.members.map((m) => m.email)).not.toContain(superAdmin.email)
    // Nothing secret: no vault secret or its seal, no password hashes, salts, API keys or sessions.
    expect(archive.text).not.toContain(SECRET)
    expect(archive.text).not.toContain(SECRET.slice(-4))
    // (As keys: the audit log's entries name changed fields, e.g. "ciphertext", never their values.)
    for (const key of ['"ciphertext":', '"hash":', '"salt":', '"apiKey":', '"sessions":', '"keyId":', '"secretHint":'])
      expect(archive.text).not.toContain(key)
    expect(archive.documents.connections![0]).toMatchObject({ name: 'OpenAI', connector: 'openai' })
    // References are resolved inside the archive: rich text upload node, forward self-reference, targets.
    const run1 = archive.documents['agent-runs']!.find((r) => r.runId === 'run-1')!
    expect(run1.previousRun).toMatch(/^agent-runs#/)
    expect(run1.target).toEqual({ collection: 'posts', docId: expect.stringMatching(/^posts#/) })
    expect(JSON.stringify(archive.documents.posts)).toMatch(/"type":"upload","value":"media#\d+"/)
  })

  it('refuses to import a tenant whose slug exists here (409), writing nothing', async () => {
    const before = await payload.count({ collection: 'posts' })
    const res = await postArchive(archiveFile)
    expect(res.status).toBe(409)
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /slug "bizoholic" already exists/,
    )
    expect(await payload.count({ collection: 'posts' })).toEqual(before)
  })
})

describe('deletion', () => {
  it('dry run lists what would go, per collection, without removing anything', async () => {
    const res = await cms.rest.post(`/tenants/${ids.bizoholic}/deletion`, { dryRun: true }, adminToken)
    expect(res.status).toBe(200)
    const posts = await payload.count({ collection: 'posts', where: { tenant: { equals: ids.bizoholic } } })
    const runs = await payload.count({ collection: 'agent-runs', where: { tenant: { equals: ids.bizoholic } } })
    // The fixture's job, and the runs the content agents queued when the test edited a post.
    const jobs = await queuedJobsOf(ids.bizoholic)
    expect(jobs.length).toBeGreaterThanOrEqual(1)
    expect(res.body).toMatchObject({
      dryRun: true,
      tenant: { id: ids.bizoholic, slug: 'bizoholic' },
      collections: expect.objectContaining({
        posts: posts.totalDocs,
        'agent-runs': runs.totalDocs,
        'agent-steps': 2,
        approvals: 1,
        'agent-settings': 1,
        connections: 1,
      }),
      memberships: { total: 4, usersDeleted: 3, usersKept: 1 },
      queue: { jobs: jobs.length, schedules: 1 },
      medusa: { salesChannelId: 'sc_gone', publishableKeyId: 'apk_gone' },
    })
    expect((res.body as { files: number }).files).toBeGreaterThan(0)
    expect(await payload.count({ collection: 'posts', where: { tenant: { equals: ids.bizoholic } } })).toEqual(posts)
  })

  it('removes everything of the tenant as a pg-boss job; other tenants and shared users stay', async () => {
    const before = await tenantRowCounts(cms.db.url, ids.bizoholic)
    const coreldoveBefore = await tenantRowCounts(cms.db.url, ids.coreldove)
    for (const table of [
      'posts.tenant_id',
      '_posts_v.version_tenant_id',
      'media.tenant_id',
      'users_tenants.tenant_id',
      'agent_runs.tenant_id',
    ])
      expect([table, before.naming[table]]).toEqual([table, expect.any(Number)])
    expect(Object.values(before.naming).filter((n) => n > 0).length).toBeGreaterThanOrEqual(12)
    const mediaDir = process.env.MEDIA_DIR!
    const filesBefore = await readdir(mediaDir)
    const bizoholicFiles = (await readArchive(payload, archiveFile)).entries
      .filter((e) => e.startsWith('media/'))
      .map((e) => path.basename(e))
    expect(bizoholicFiles.every((f) => filesBefore.includes(f))).toBe(true)

    const queued = (await queuedJobsOf(ids.bizoholic)).length
    const res = await cms.rest.post(`/tenants/${ids.bizoholic}/deletion`, {}, adminToken)
    expect(res.status).toBe(202)
    const jobId = res.body.job as number
    // Asking again while it is queued returns the same job.
    const again = await cms.rest.post(`/tenants/${ids.bizoholic}/deletion`, {}, adminToken)
    expect(again.body).toMatchObject({ job: jobId, message: expect.stringMatching(/already under way/) })
    worker = await startTenantDataWorker(payload)
    let status: Record<string, unknown> = {}
    await until(
      'the deletion to finish',
      async () => {
        status = (await cms.rest.get(`/tenants/${ids.bizoholic}/deletion`, adminToken)).body
        if (status.status === 'failed') throw new Error(String(status.error))
        return status.status === 'succeeded'
      },
      60_000,
    )
    // Medusa was down: recorded with what to do, the rest went on.
    expect(status.progress).toMatchObject({
      medusa: { status: 'failed', salesChannelId: 'sc_gone', message: expect.stringMatching(/by hand/) },
      queue: { jobs: queued, schedules: 1 },
      tenant: true,
    })
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['deletion-requested', 'deletion-finished']))

    // Nothing of the tenant in any table, and no row left behind without a tenant.
    const after = await tenantRowCounts(cms.db.url, ids.bizoholic)
    expect(Object.entries(after.naming).filter(([, n]) => n > 0)).toEqual([])
    expect(after.empty).toEqual(before.empty)
    expect(await query(cms.db.url, 'SELECT id FROM tenants WHERE id = $1', [ids.bizoholic])).toEqual([])
    // CoreLDove untouched (the shared user's membership there included).
    expect((await tenantRowCounts(cms.db.url, ids.coreldove)).naming).toEqual(coreldoveBefore.naming)
    // Files gone from disk; CoreLDove's remain.
    const filesAfter = await readdir(mediaDir)
    expect(bizoholicFiles.filter((f) => filesAfter.includes(f))).toEqual([])
    expect(filesAfter.length).toBe(filesBefore.length - bizoholicFiles.length)
    // Users only in Bizoholic are gone; the shared user lost only that membership; the platform admin stays.
    const emails = (await query<{ email: string }>(cms.db.url, 'SELECT email FROM users')).map((u) => u.email)
    expect(emails).not.toContain('owner@bizoholic.dev')
    expect(emails).toEqual(expect.arrayContaining([superAdmin.email, 'shared@agency.dev', 'owner@coreldove.dev']))
    const shared = (await payload.findByID({ collection: 'users', id: ids.shared, depth: 0 })) as {
      tenants: { tenant: number; roles: string[] }[]
    }
    expect(shared.tenants.map((t) => [t.tenant, t.roles])).toEqual([[ids.coreldove, ['tenant-admin']]])
    // Queued jobs and schedules naming the tenant are gone; CoreLDove's are not.
    expect(await queuedJobsOf(ids.bizoholic)).toEqual([])
    expect(await queuedJobsOf(ids.coreldove)).toContainEqual({ name: FIXTURE_QUEUE })
    const schedules = await query<{ key: string }>(cms.db.url, 'SELECT key FROM pgboss.schedule WHERE name = $1', [
      FIXTURE_QUEUE,
    ])
    expect(schedules).toEqual([{ key: `${ids.coreldove}/agent-settings` }])
    const done = await query<{ state: string }>(cms.db.url, 'SELECT state FROM pgboss.job WHERE name = $1', [
      DELETE_QUEUE,
    ])
    expect(done).toEqual([{ state: 'completed' }])
  })
})

describe('import', () => {
  it('refuses a tenant one of whose domains belongs to another tenant here (409)', async () => {
    const squatter = await payload.create({
      collection: 'tenants',
      data: { name: 'Squatter', slug: 'squatter', domains: [{ domain: 'bizoholic.localhost' }] },
    })
    const res = await postArchive(archiveFile)
    expect(res.status).toBe(409)
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /bizoholic\.localhost already belongs to tenant "squatter"/,
    )
    await payload.delete({ collection: 'tenants', id: squatter.id })
  })

  it('an import that fails half-way leaves nothing: no tenant, users, documents or files', async () => {
    const dir = await extractArchive(createReadStream(archiveFile))
    const pages = path.join(dir, 'documents', 'posts')
    const last = (await readdir(pages)).sort().at(-1)!
    await writeFile(path.join(pages, last), `${await readFile(path.join(pages, last), 'utf8')}{not json\n`)
    const broken = path.join(work, 'broken.tar.gz')
    const files: Record<string, Buffer> = {}
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true }))
        if (e.isDirectory()) await walk(path.join(d, e.name))
        else files[path.relative(dir, path.join(d, e.name))] = await readFile(path.join(d, e.name))
    }
    await walk(dir)
    await rm(dir, { recursive: true, force: true })
    await writeArchive(broken, files)

    const users = await query(cms.db.url, 'SELECT id FROM users')
    const mediaDocs = await payload.count({ collection: 'media' })
    const mediaFiles = await readdir(process.env.MEDIA_DIR!)
    const res = await postArchive(broken)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /documents\/posts\/.* line \d+ is not a document/,
    )
    expect(await query(cms.db.url, "SELECT id FROM tenants WHERE slug = 'bizoholic'")).toEqual([])
    expect(await query(cms.db.url, 'SELECT id FROM users')).toEqual(users)
    expect(await readdir(process.env.MEDIA_DIR!)).toEqual(mediaFiles)
    expect(await payload.count({ collection: 'media' })).toEqual(mediaDocs)
  })

  it('export → delete → import into an empty database (CLI) gives the same documents', async () => {
    const other: TestDatabase = await createTestDatabase('tenant_data_b', await migratedTemplate())
    const otherMedia = await mkdtemp(path.join(tmpdir(), 'bizosaas-media-b-'))
    try {
      const env = { DATABASE_URL: other.url, MEDIA_DIR: otherMedia }
      const imported = await runPayloadCli(['run', 'src/tenant-import.ts', archiveFile], env, 180_000)
      expect(imported).toMatch(/imported tenant "bizoholic"/)
      expect(imported).toMatch(/users matched 0, created 4/)
      const again = path.join(work, 'again.tar.gz')
      await runPayloadCli(['run', 'src/tenant-export.ts', 'bizoholic', again], env, 180_000)

      const first = await readArchive(payload, archiveFile)
      const second = await readArchive(payload, again)
      for (const slug of Object.keys(first.documents))
        if (slug === 'audit-log')
          // The import's own writes (members created) add entries; every exported entry is there.
          expect(second.documents[slug]).toEqual(expect.arrayContaining(first.documents[slug]!))
        else expect([slug, second.documents[slug]]).toEqual([slug, first.documents[slug]])
      expect(second.members).toEqual(first.members)
      expect(second.files).toEqual(first.files)
      // The Medusa link of the old installation is not carried over; the rest of the tenant is.
      const { commerce: _a, ...tenantA } = first.tenant
      const { commerce: _b, ...tenantB } = second.tenant
      expect(tenantB).toEqual(tenantA)
      // `pnpm tenant:delete <slug> --dry-run` only counts (`payload run` drops the flag from argv;
      // scripts/payload.ts passes the arguments in PAYLOAD_RUN_ARGS).
      const dry = await runPayloadCli(
        ['run', 'src/tenant-delete.ts', 'bizoholic', '--dry-run'],
        { ...env, PAYLOAD_RUN_ARGS: JSON.stringify(['run', 'src/tenant-delete.ts', 'bizoholic', '--dry-run']) },
        180_000,
      )
      expect(dry).toMatch(/would remove:[\s\S]*posts: \d+[\s\S]*memberships: 4 \(users deleted: 4/)
      expect(await query(other.url, "SELECT slug FROM tenants WHERE slug = 'bizoholic'")).toEqual([
        { slug: 'bizoholic' },
      ])
      // New members cannot sign in until they reset their password.
      const owner = await query<{ hash: string | null }>(other.url, 'SELECT hash FROM users WHERE email = $1', [
        'owner@bizoholic.dev',
      ])
      expect(owner).toHaveLength(1)
    } finally {
      await other.drop()
      await rm(otherMedia, { recursive: true, force: true })
    }
  })

  it('imports over HTTP into this installation: new ids, users matched by email, files re-uploaded', async () => {
    const res = await postArchive(archiveFile)
    const body = (await res.json()) as Record<string, unknown> & { tenant: { id: number } }
    expect(res.status).toBe(201)
    expect(body).toMatchObject({ tenant: { slug: 'bizoholic' }, users: { matched: 1, created: 3 } })
    expect(body.tenant.id).not.toBe(ids.bizoholic)
    const archive = await readArchive(payload, archiveFile)
    for (const [slug, docs] of Object.entries(archive.documents)) {
      const { totalDocs } = await payload.count({
        collection: slug as never,
        where: { tenant: { equals: body.tenant.id } },
      })
      // The audit log also records the import's own writes.
      if (slug === 'audit-log') expect(totalDocs).toBeGreaterThanOrEqual(docs.length)
      else expect([slug, totalDocs]).toEqual([slug, docs.length])
    }
    // The owner (deleted with the tenant) can sign in only after a password reset.
    const login = await cms.rest.post('/users/login', { email: 'owner@bizoholic.dev', password: DEMO_PASSWORD })
    expect(login.status).toBe(401)
    // The shared user was matched by email and holds both memberships again.
    const shared = (await payload.findByID({ collection: 'users', id: ids.shared, depth: 0 })) as {
      tenants: { tenant: number; roles: string[] }[]
    }
    expect(shared.tenants.map((t) => [t.tenant, t.roles])).toEqual([
      [ids.coreldove, ['tenant-admin']],
      [body.tenant.id, ['client']],
    ])
    // The post reads back through the API with its relationships resolved in the new tenant.
    const post = (
      await payload.find({
        collection: 'posts',
        where: { and: [{ tenant: { equals: body.tenant.id } }, { slug: { equals: ids.postSlug } }] },
        depth: 1,
        locale: 'de',
      })
    ).docs[0] as unknown as Doc & {
      title: string
      coverImage: { tenant: number; filename: string }
      author: { email: string } | null
    }
    expect(post.title).toBe('Fünf SEO-Korrekturen')
    expect(post.coverImage.tenant).toBe(body.tenant.id)
    const file = await fetch(`${server.url}/api/media/file/${post.coverImage.filename}`, {
      headers: { authorization: `JWT ${adminToken}` },
    })
    expect(file.status).toBe(200)
  })
})
