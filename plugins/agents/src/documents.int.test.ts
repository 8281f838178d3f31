/**
 * The tenant and document module on the real CMS (seeded, its own PostgreSQL database): one id form
 * whatever carried it, reads and writes only in the run's tenant, refusals with the reason.
 */

import { seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DocumentData,
  type Id,
  idOf,
  readTenantDocument,
  requireTenantDocument,
  sameId,
  tenantRef,
  updateDocument,
} from './documents.ts'

let cms: TestCms
let payload: Payload
// The CMS's serial ids: numbers, the one form `idOf` gives.
let tenantA: number
let tenantB: number
let postA: DocumentData
let postB: DocumentData

const other = (ref: { id: Id }) =>
  `Refused: posts ${ref.id} belongs to another tenant. Agents only read and change documents of the tenant they run for.`

/** A post as stored (published version and its version count), read around the module. */
async function stored(id: Id) {
  const live = await payload.findByID({ collection: 'posts', id, depth: 0, overrideAccess: true })
  const versions = await payload.countVersions({ collection: 'posts', where: { parent: { equals: id } } })
  return { title: live.title, updatedAt: live.updatedAt, versions: versions.totalDocs }
}

async function publishedPostOf(tenant: Id): Promise<DocumentData> {
  const found = await payload.find({
    collection: 'posts',
    where: { and: [{ tenant: { equals: tenant } }, { _status: { equals: 'published' } }] },
    limit: 1,
    depth: 0,
    overrideAccess: true,
  })
  return found.docs[0] as unknown as DocumentData
}

beforeAll(async () => {
  cms = await startTestCms('agent_documents')
  payload = cms.payload
  await seed(payload)
  const tenants = await payload.find({ collection: 'tenants', depth: 0, overrideAccess: true })
  tenantA = tenants.docs.find((t) => t.slug === 'bizoholic')!.id
  tenantB = tenants.docs.find((t) => t.slug === 'coreldove')!.id
  postA = await publishedPostOf(tenantA)
  postB = await publishedPostOf(tenantB)
}, 240_000)

afterAll(async () => {
  await cms?.close()
})

describe('ids: one form at the boundary', () => {
  it('turns text, numbers and populated relationships into the same id', () => {
    expect(idOf('12')).toBe(12)
    expect(idOf(' 12 ')).toBe(12)
    expect(idOf(12)).toBe(12)
    expect(idOf({ id: '12' })).toBe(12)
    expect(idOf({ id: { id: 12 } })).toBe(12)
    // text and uuid ids stay text
    expect(idOf('0b7e3c1a-5f7e-4d2b-9a47-1f0e6b1c2d3e')).toBe('0b7e3c1a-5f7e-4d2b-9a47-1f0e6b1c2d3e')
    expect(sameId(12, '12')).toBe(true)
    expect(sameId({ id: 12 }, '12')).toBe(true)
    expect(sameId(12, 13)).toBe(false)
  })

  it('has no id for nothing, and never calls two absent ids the same', () => {
    for (const none of [undefined, null, '', '  ', 1.5, Number.NaN, {}, { id: null }])
      expect(idOf(none)).toBeUndefined()
    expect(sameId(undefined, undefined)).toBe(false)
    expect(sameId(null, '')).toBe(false)
  })

  it("needs a run's tenant where documents belong to tenants", () => {
    expect(tenantRef('7')).toBe(7)
    expect(tenantRef(7)).toBe(7)
    for (const none of [undefined, '', null])
      expect(() => tenantRef(none)).toThrow('This agent works on tenant-owned documents and needs the run tenant')
  })
})

describe('readTenantDocument / requireTenantDocument', () => {
  it("reads a document of the run's tenant, whether the tenant comes as a number or as text", async () => {
    const asNumber = await readTenantDocument(payload, { collection: 'posts', id: postA.id }, tenantA)
    const asText = await readTenantDocument(payload, { collection: 'posts', id: String(postA.id) }, String(tenantA))
    expect(asNumber.error).toBeUndefined()
    expect(asText.error).toBeUndefined()
    expect(asNumber.error === undefined && asNumber.doc).toMatchObject({ id: postA.id, title: postA.title })
    expect(asText.error === undefined && asText.doc).toMatchObject({ id: postA.id, title: postA.title })
  })

  it("refuses another tenant's document with the reason, and hands out nothing of it", async () => {
    const found = await readTenantDocument(payload, { collection: 'posts', id: postB.id }, tenantA)
    expect(found).toEqual({ error: other(postB) })
    await expect(
      requireTenantDocument(payload, { collection: 'posts', id: postB.id }, String(tenantA)),
    ).rejects.toThrow(other(postB))
  })

  it('says when there is no such document, or no tenant', async () => {
    expect(await readTenantDocument(payload, { collection: 'posts', id: 987_654 }, tenantA)).toEqual({
      error: 'No posts document with id 987654',
    })
    await expect(requireTenantDocument(payload, { collection: 'posts', id: 987_654 }, tenantA)).rejects.toThrow(
      'No posts document with id 987654',
    )
    for (const none of [undefined, ''])
      expect(await readTenantDocument(payload, { collection: 'posts', id: postA.id }, none)).toEqual({
        error: 'Refused: this run has no tenant, and documents belong to tenants',
      })
  })

  it('reads the pending draft, as editors see it, and a locale without fallback when asked', async () => {
    const post = await publishedPostOf(tenantA)
    await payload.update({
      collection: 'posts',
      id: post.id,
      data: { title: 'A pending draft title' },
      draft: true,
      overrideAccess: true,
    })
    const doc = await requireTenantDocument(payload, { collection: 'posts', id: post.id }, tenantA)
    expect(doc).toMatchObject({ title: 'A pending draft title', _status: 'draft' })
    expect((await stored(post.id)).title).toBe(post.title)
    const german = await requireTenantDocument(payload, { collection: 'posts', id: post.id }, tenantA, {
      locale: 'de',
      fallback: false,
    })
    expect(german.title ?? null).toBeNull()
  })
})

describe('updateDocument', () => {
  it("writes a document of the run's tenant, as a draft when its latest version is one", async () => {
    const post = await payload.create({
      collection: 'posts',
      data: { title: 'Draft to retitle', slug: `draft-to-retitle-${Date.now()}`, tenant: tenantA, _status: 'draft' },
      draft: true,
      overrideAccess: true,
    })
    const ref = { collection: 'posts', id: post.id }
    const latest = await requireTenantDocument(payload, ref, tenantA)
    await updateDocument(payload, ref, String(tenantA), { title: 'Retitled by an agent' }, { latest })
    const after = await requireTenantDocument(payload, ref, tenantA)
    expect(after).toMatchObject({ title: 'Retitled by an agent', _status: 'draft' })

    const live = await publishedPostOf(tenantB)
    const liveRef = { collection: 'posts', id: live.id }
    const written = await updateDocument(payload, liveRef, tenantB, { excerpt: 'An excerpt the agent wrote.' })
    expect(written).toMatchObject({ id: live.id, excerpt: 'An excerpt the agent wrote.', _status: 'published' })
  })

  it("refuses another tenant's document and writes nothing", async () => {
    const before = await stored(postB.id)
    const ref = { collection: 'posts', id: postB.id }
    await expect(updateDocument(payload, ref, tenantA, { title: 'Hijacked' })).rejects.toThrow(other(postB))
    // A document read in the right tenant does not open another one: the write is refused too.
    const mine = await requireTenantDocument(payload, { collection: 'posts', id: postA.id }, tenantA)
    await expect(updateDocument(payload, ref, tenantA, { title: 'Hijacked' }, { latest: mine })).rejects.toThrow(
      `Not posts ${postB.id}`,
    )
    // Nor does claiming the other tenant's document as read in this one.
    const theirs = await requireTenantDocument(payload, ref, tenantB)
    await expect(updateDocument(payload, ref, tenantA, { title: 'Hijacked' }, { latest: theirs })).rejects.toThrow(
      other(postB),
    )
    await expect(updateDocument(payload, ref, undefined, { title: 'Hijacked' })).rejects.toThrow(
      'Refused: this run has no tenant, and documents belong to tenants',
    )
    expect(await stored(postB.id)).toEqual(before)
  })

  it('says when there is no such document', async () => {
    await expect(
      updateDocument(payload, { collection: 'posts', id: 987_654 }, tenantA, { title: 'x' }),
    ).rejects.toThrow('No posts document with id 987654')
  })
})
