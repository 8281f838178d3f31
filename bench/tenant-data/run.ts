/**
 * Tenant export and deletion benchmark (issue 16's figures): a tenant with 10,000 documents (posts with
 * rich text, categories, agent runs and steps) and 1,000 media documents with their files on disk (the
 * original and three resized copies each), generated directly through the database adapter. Measures,
 * in one run on one PostgreSQL: the export to a file (time, size, process RSS while streaming), the
 * dry run, the deletion as the pg-boss job, and the import of the archive back.
 * Run from the repository root: `pnpm bench:tenant-data` (see ./README.md).
 */
import { createWriteStream } from 'node:fs'
import { copyFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { lexicalParagraphs } from '@bizosaas/cms/test'
import {
  exportTenant,
  importTenantFile,
  JOBS_SLUG,
  planDeletion,
  requestDeletion,
  startTenantDataWorker,
} from '@bizosaas/plugin-tenant-data'
import { freePort } from '@bizosaas/scripts/ports'
import {
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  type PostgresServer,
  startEmbeddedPostgres,
} from '@bizosaas/scripts/postgres'
import type { Payload, SanitizedConfig } from 'payload'

const POSTS = Number(process.env.BENCH_POSTS ?? 4_000)
const CATEGORIES = Number(process.env.BENCH_CATEGORIES ?? 2_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 2_000)
const STEPS = Number(process.env.BENCH_STEPS ?? 2_000)
const MEDIA = Number(process.env.BENCH_MEDIA ?? 1_000)
const SECRET = 'bizosaas-bench-secret-0123456789abcdef'

const log = (line = '') => process.stdout.write(`${line}\n`)
const fmt = (value: number, digits = 1) => value.toFixed(digits)
const mb = (bytes: number) => fmt(bytes / 1024 / 1024)
const seconds = (since: number) => (performance.now() - since) / 1000
const cleanups: (() => Promise<unknown>)[] = []
async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: Error) => log(`cleanup: ${error.message}`))
}

/** Peak RSS while `work` runs, sampled every 50 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; before: number }> {
  const before = process.memoryUsage().rss
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  try {
    const result = await work()
    return { result, peak: Math.max(peak, process.memoryUsage().rss), before }
  } finally {
    clearInterval(timer)
  }
}

/** Runs `make(i)` for i < n, `concurrency` at a time. */
async function inParallel(n: number, concurrency: number, make: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await make(next++)
    }),
  )
}

async function generate(payload: Payload, mediaDir: string, fixtureDir: string): Promise<number> {
  const tenant = await payload.create({
    collection: 'tenants',
    data: { name: 'Bench', slug: 'bench', domains: [{ domain: 'bench.localhost' }] },
  })
  const tenantId = tenant.id as number
  // One real upload made by Payload (original + its three sizes); copied for every media document.
  const sharp = payload.config.sharp as unknown as typeof import('sharp').default
  const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .png()
    .toBuffer()
  const template = (await payload.create({
    collection: 'media',
    data: { alt: 'template', tenant: tenantId } as never,
    file: { data: png, mimetype: 'image/png', name: 'template.png', size: png.length },
  })) as unknown as Record<string, unknown> & {
    id: number
    filename: string
    sizes: Record<string, { filename: string }>
  }
  const files = [template.filename, ...Object.values(template.sizes).map((s) => s.filename)]
  for (const f of files) await copyFile(join(mediaDir, f), join(fixtureDir, f))
  await payload.delete({ collection: 'media', id: template.id })

  const media: number[] = []
  await inParallel(MEDIA, 8, async (i) => {
    const name = (f: string) => `bench-${i}-${f}`
    for (const f of files) await copyFile(join(fixtureDir, f), join(mediaDir, name(f)))
    const { id: _id, createdAt: _c, updatedAt: _u, url: _url, thumbnailURL: _t, ...data } = template
    const sizes = Object.fromEntries(
      Object.entries(template.sizes).map(([k, s]) => [k, { ...s, filename: name(s.filename), url: null }]),
    )
    const doc = await payload.db.create({
      collection: 'media',
      data: { ...data, filename: name(template.filename), sizes, alt: { en: `Image ${i}` }, tenant: tenantId },
    })
    media[i] = doc.id as number
  })
  const categories: number[] = []
  await inParallel(CATEGORIES, 8, async (i) => {
    const doc = await payload.db.create({
      collection: 'categories',
      data: { title: { en: `Category ${i}` }, slug: `category-${i}`, tenant: tenantId },
    })
    categories[i] = doc.id as number
  })
  await inParallel(POSTS, 8, (i) =>
    payload.db.create({
      collection: 'posts',
      data: {
        title: { en: `Post ${i}`, de: `Beitrag ${i}` },
        slug: `post-${i}`,
        excerpt: { en: `Excerpt of post ${i}` },
        content: {
          en: lexicalParagraphs(`First paragraph of post ${i}.`, 'A second paragraph with more words in it.'),
        },
        coverImage: media[i % MEDIA],
        categories: [categories[i % CATEGORIES], categories[(i + 1) % CATEGORIES]],
        _status: 'published',
        tenant: tenantId,
      },
    }),
  )
  const runs: number[] = []
  await inParallel(RUNS, 8, async (i) => {
    const doc = await payload.db.create({
      collection: 'agent-runs',
      data: {
        runId: `bench-run-${i}`,
        agent: 'seo-meta',
        status: 'succeeded',
        input: { target: { collection: 'posts', id: i } },
        output: { metaTitle: `Title ${i}` },
        tenant: tenantId,
      },
    })
    runs[i] = doc.id as number
  })
  await inParallel(STEPS, 8, (i) =>
    payload.db.create({
      collection: 'agent-steps',
      data: {
        agentRun: runs[i % RUNS],
        runId: `bench-run-${i % RUNS}`,
        agent: 'seo-meta',
        seq: Math.floor(i / RUNS),
        kind: 'model-call',
        data: { prompt: 'x'.repeat(200) },
        tenant: tenantId,
      },
    }),
  )
  return tenantId
}

async function main() {
  log(
    `tenant-data benchmark — node ${process.version}; load average at start: ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' / ')}`,
  )
  const external = process.env.BENCH_DATABASE_URL
  const dataDir = external ? undefined : await mkdtemp(join(tmpdir(), 'bizosaas-bench-tenant-data-pg-'))
  const server: PostgresServer = external
    ? externalPostgres(external)
    : await startEmbeddedPostgres({ dataDir: dataDir as string, port: await freePort(), persistent: false })
  cleanups.push(async () => {
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })
  const name = `bench_tenant_data_${Date.now()}`
  await ensureDatabase(server.adminUrl, name)
  cleanups.push(() => dropDatabase(server.adminUrl, name))
  const work = await mkdtemp(join(tmpdir(), 'bizosaas-bench-tenant-data-'))
  cleanups.push(() => rm(work, { recursive: true, force: true }))
  const mediaDir = join(work, 'media')
  const fixtureDir = await mkdtemp(join(work, 'fixture-'))
  // Production: Payload applies the committed migrations on connect, as a deployed CMS.
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl(server.adminUrl, name),
    PAYLOAD_SECRET: SECRET,
    MEDIA_DIR: mediaDir,
    NODE_ENV: 'production',
    VAULT_KEY: 'a'.repeat(64),
  })
  const { cmsConfig } = await import('@bizosaas/cms/config')
  const { buildConfig, getPayload } = await import('payload')
  const config: SanitizedConfig = await buildConfig(cmsConfig())
  const payload = await getPayload({ config })
  cleanups.push(async () => {
    const pool = (payload.db as unknown as { pool?: { end(): Promise<void>; on(e: string, f: () => void): void } }).pool
    // Payload's destroy leaves its pg pool open (see cms/src/test/harness.ts): end it before the drop.
    pool?.on('error', () => {})
    await payload.destroy()
    await pool?.end().catch(() => {})
  })

  let t = performance.now()
  const tenantId = await generate(payload, mediaDir, fixtureDir)
  const documents = POSTS + CATEGORIES + RUNS + STEPS
  const filesOnDisk = (await readdir(mediaDir)).length
  log(
    `generated ${documents} documents (${POSTS} posts, ${CATEGORIES} categories, ${RUNS} runs, ${STEPS} steps) and ${MEDIA} media documents with ${filesOnDisk} files in ${fmt(seconds(t))} s`,
  )

  // Export to a file, as `pnpm tenant:export` does.
  const archiveFile = join(work, 'bench.tar.gz')
  t = performance.now()
  const exported = await withPeakRss(async () => {
    const archive = await exportTenant(payload, tenantId)
    await Promise.all([pipeline(archive.stream, createWriteStream(archiveFile)), archive.done])
    return archive.done
  })
  const exportSeconds = seconds(t)
  const size = (await stat(archiveFile)).size
  const entries = exported.result.manifest.collections.reduce((n, c) => n + c.documents, 0)
  log(
    `export: ${entries} documents + ${exported.result.manifest.collections.reduce((n, c) => n + c.files, 0)} files in ${fmt(exportSeconds)} s → ${mb(size)} MB; RSS ${mb(exported.before)} MB before, peak ${mb(exported.peak)} MB (+${mb(exported.peak - exported.before)} MB)`,
  )

  t = performance.now()
  const plan = await planDeletion(payload, tenantId)
  log(`dry run: ${fmt(seconds(t) * 1000, 0)} ms (${JSON.stringify(plan?.collections)}, ${plan?.files} files)`)

  t = performance.now()
  const job = (await requestDeletion(payload, tenantId))!
  const worker = await startTenantDataWorker(payload)
  for (;;) {
    const row = (await payload.findByID({ collection: JOBS_SLUG as never, id: job.id, depth: 0 })) as unknown as {
      status: string
      error?: string
    }
    if (row.status === 'succeeded') break
    if (row.status === 'failed') throw new Error(`deletion failed: ${row.error}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const deletionSeconds = seconds(t)
  await worker.stop()
  log(
    `deletion (pg-boss job, batches of 500): ${fmt(deletionSeconds)} s; files left on disk: ${(await readdir(mediaDir)).length}`,
  )

  t = performance.now()
  const imported = await withPeakRss(() => importTenantFile(payload, archiveFile))
  log(
    `import of the archive back: ${fmt(seconds(t))} s (${Object.values(imported.result.documents).reduce((a, b) => a + b, 0)} documents, ${imported.result.files} files); RSS peak +${mb(imported.peak - imported.before)} MB`,
  )
  log(
    `load average at end: ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' / ')}`,
  )
}

try {
  await main()
} catch (error) {
  log(`benchmark failed: ${(error as Error).stack}`)
  process.exitCode = 1
} finally {
  await cleanup()
  process.exit()
}
