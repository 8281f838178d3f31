/**
 * A deletion worker killed with `kill -9` half-way: pg-boss notices the missing heartbeat and retries
 * the job, the retry resumes from the progress on the job's row, and when it finishes nothing of the
 * tenant is left in any table or on disk, while the other tenant is untouched.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { lexicalParagraphs, startTestCms, type TestCms } from '@bizosaas/cms/test'
import { until } from '@bizosaas/scripts/test/until'
import type { Payload } from 'payload'
import sharp from 'sharp'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { JOBS_SLUG } from './constants.ts'
import { type DeletionProgress, startTenantDataWorker, type TenantDataWorker } from './deletion.ts'
import { CRASH_OPTIONS } from './fixtures/crash-options.ts'
import { tenantRowCounts } from './test/tenant-rows.ts'

const repoRoot = path.resolve(import.meta.dirname, '../../..')
let cms: TestCms
let payload: Payload
let child: ChildProcess | undefined
let worker: TenantDataWorker | undefined
const ids = { doomed: 0, other: 0, admin: 0 }

beforeAll(async () => {
  cms = await startTestCms('tenant_data_crash', { tenantData: CRASH_OPTIONS })
  payload = cms.payload
  const tenant = (slug: string) =>
    payload.create({ collection: 'tenants', data: { name: slug, slug, domains: [{ domain: `${slug}.localhost` }] } })
  ids.doomed = (await tenant('doomed')).id as number
  ids.other = (await tenant('other')).id as number
  ids.admin = (
    await payload.create({
      collection: 'users',
      data: { email: 'root@platform.dev', password: 'platform-password', roles: ['super-admin'] } as never,
    })
  ).id as number
  await payload.create({
    collection: 'users',
    data: {
      email: 'only@doomed.dev',
      password: 'x-password',
      tenants: [{ tenant: ids.doomed, roles: ['manager'] }],
    } as never,
  })
  for (const tenantId of [ids.doomed, ids.other]) {
    const media: number[] = []
    for (let i = 0; i < 4; i++) {
      const data = await sharp({
        create: { width: 40, height: 30, channels: 3, background: { r: i * 50, g: 80, b: 120 } },
      })
        .png()
        .toBuffer()
      const doc = await payload.create({
        collection: 'media',
        data: { alt: `image ${i}`, tenant: tenantId } as never,
        file: { data, mimetype: 'image/png', name: `t${tenantId}-image-${i}.png`, size: data.length },
      })
      media.push(doc.id as number)
    }
    const categories: number[] = []
    for (let i = 0; i < 60; i++)
      categories.push(
        (
          await payload.create({
            collection: 'categories',
            data: { title: `Category ${i}`, slug: `category-${i}`, tenant: tenantId } as never,
          })
        ).id as number,
      )
    for (let i = 0; i < 30; i++)
      await payload.create({
        collection: 'posts',
        data: {
          title: `Post ${i}`,
          slug: `post-${i}`,
          tenant: tenantId,
          content: lexicalParagraphs(`Body ${i}`),
          coverImage: media[i % media.length],
          categories: [categories[i]!],
          _status: 'published',
        } as never,
      })
  }
}, 240_000)

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  await worker?.stop({ graceMs: 1_000 })
  await cms?.close()
})

const jobRow = async (id: number) =>
  (await payload.findByID({ collection: JOBS_SLUG as never, id })) as unknown as {
    status: string
    attempts: number
    progress: DeletionProgress
  }
const removed = (p: DeletionProgress) => Object.values(p.deleted).reduce((a, b) => a + b, 0)

it('resumes a deletion whose worker was killed half-way and finishes with nothing of the tenant left', async () => {
  const before = await tenantRowCounts(cms.db.url, ids.doomed)
  const otherBefore = await tenantRowCounts(cms.db.url, ids.other)
  const mediaDir = process.env.MEDIA_DIR!
  const filesBefore = await readdir(mediaDir)
  expect(filesBefore.filter((f) => f.startsWith(`t${ids.doomed}-`)).length).toBeGreaterThanOrEqual(4)

  let output = ''
  // node itself (not the tsx launcher, which would outlive a kill of its parent) is the worker process.
  child = spawn(process.execPath, ['--import', 'tsx', 'plugins/tenant-data/src/fixtures/deletion-worker.ts'], {
    cwd: repoRoot,
    env: { ...process.env, TENANT_DATA_BATCH_DELAY_MS: '400' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  await until(
    'the child worker',
    async () => output.includes('worker ready') || (child!.exitCode !== null && Promise.reject(new Error(output))),
    120_000,
  )

  const token = await cms.login('root@platform.dev', 'platform-password')
  const res = await cms.rest.post(`/tenants/${ids.doomed}/deletion`, {}, token)
  expect(res.status).toBe(202)
  const jobId = res.body.job as number

  // Killed after its first batches, mid-way through the documents.
  await until('the child to delete a few batches', async () => removed((await jobRow(jobId)).progress) >= 15, 60_000)
  child.kill('SIGKILL')
  await new Promise((r) => child!.once('exit', r))
  const halfway = await jobRow(jobId)
  expect(halfway.status).toBe('running')
  const left = await tenantRowCounts(cms.db.url, ids.doomed)
  expect(Object.values(left.naming).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)

  // Another worker takes the job over once pg-boss has seen the dead one's heartbeat stop.
  worker = await startTenantDataWorker(payload)
  await until('the resumed deletion to finish', async () => (await jobRow(jobId)).status === 'succeeded', 90_000)
  const done = await jobRow(jobId)
  expect(done.attempts).toBeGreaterThanOrEqual(2)
  // The retry kept the killed attempt's record and added its own.
  expect(removed(done.progress)).toBeGreaterThan(removed(halfway.progress))
  expect(done.progress.deleted.users).toBe(1)

  const after = await tenantRowCounts(cms.db.url, ids.doomed)
  expect(Object.entries(after.naming).filter(([, n]) => n > 0)).toEqual([])
  expect(after.empty).toEqual(before.empty)
  expect((await tenantRowCounts(cms.db.url, ids.other)).naming).toEqual(otherBefore.naming)
  const filesAfter = await readdir(mediaDir)
  expect(filesAfter.filter((f) => f.startsWith(`t${ids.doomed}-`))).toEqual([])
  expect(filesAfter.filter((f) => f.startsWith(`t${ids.other}-`)).length).toBeGreaterThanOrEqual(4)
  expect(await payload.count({ collection: 'users', where: { email: { equals: 'only@doomed.dev' } } })).toEqual({
    totalDocs: 0,
  })
}, 300_000)
