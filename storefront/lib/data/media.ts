/**
 * Payload media for shoppers: a file is served only if a media document of the host's tenant has it
 * (as the original or one of its sizes), read with the storefront's key, kept in this process's memory
 * (small files; Payload names files uniquely, so a kept file never goes stale) and cached by browsers.
 */
import { storefrontEnv } from '@lib/env'
import { z } from 'zod'
import { cmsGet, cmsQuery } from './cms'
import type { Tenant } from './tenants'

const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/
const SIZES = ['thumbnail', 'card', 'hero', 'heroPhone', 'heroWide'] as const

/** Whether `filename` belongs to one of the tenant's media documents (cached). */
export async function tenantOwnsMedia(tenant: Tenant, filename: string): Promise<boolean> {
  if (!FILENAME.test(filename)) return false
  const or = [
    { filename: { equals: filename } },
    ...SIZES.map((size) => ({ [`sizes.${size}.filename`]: { equals: filename } })),
  ]
  const query = cmsQuery({
    where: { tenant: { equals: tenant.id }, or: Object.fromEntries(or.map((w, i) => [i, w])) },
    depth: 0,
    limit: 1,
    'select[id]': true,
  })
  const { totalDocs } = await cmsGet(`/media${query}`, z.object({ totalDocs: z.number() }), {
    tags: [`media:${tenant.slug}`],
  })
  return totalDocs > 0
}

/** The file's bytes from Payload (not through the data cache: files can be large). */
async function fetchMediaFile(filename: string): Promise<Response> {
  const env = storefrontEnv()
  return fetch(`${env.CMS_URL}/api/media/file/${encodeURIComponent(filename)}`, {
    headers: env.CMS_API_KEY ? { authorization: `users API-Key ${env.CMS_API_KEY}` } : {},
    cache: 'no-store',
    signal: AbortSignal.timeout(15_000),
  })
}

/** Files up to this size are kept in memory… */
export const MEDIA_MEMORY_FILE_BYTES = 1024 * 1024
/** …up to this much in all, the least recently served dropped first. */
export const MEDIA_MEMORY_BYTES = 64 * 1024 * 1024

export type MediaFile =
  | { ok: true; body: Uint8Array | ReadableStream<Uint8Array>; contentType: string }
  | { ok: false; status: number }

interface KeptFile {
  body: Uint8Array
  contentType: string
}

// Map order is recency: a hit moves the file to the end, eviction takes from the front.
const kept = new Map<string, KeptFile>()
let keptBytes = 0

/**
 * A tenant-checked media file's bytes: from memory when served before, else from Payload (kept when
 * small). A hero image is a page's largest paint, so it must not wait on a round trip to the CMS.
 */
export async function readMediaFile(filename: string): Promise<MediaFile> {
  const hit = kept.get(filename)
  if (hit) {
    kept.delete(filename)
    kept.set(filename, hit)
    return { ok: true, body: hit.body, contentType: hit.contentType }
  }
  const res = await fetchMediaFile(filename)
  if (!res.ok || !res.body) {
    await res.body?.cancel()
    return { ok: false, status: res.status }
  }
  const contentType = res.headers.get('content-type') ?? 'application/octet-stream'
  if (Number(res.headers.get('content-length')) > MEDIA_MEMORY_FILE_BYTES)
    return { ok: true, body: res.body, contentType }
  // Read up to the limit (the length may be unknown): a larger file is streamed on from where we stopped.
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size > MEDIA_MEMORY_FILE_BYTES) {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk)
        },
        async pull(controller) {
          const next = await reader.read()
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        },
        cancel: (reason) => reader.cancel(reason),
      })
      return { ok: true, body: stream, contentType }
    }
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  kept.set(filename, { body, contentType })
  keptBytes += body.byteLength
  for (const [name, file] of kept) {
    if (keptBytes <= MEDIA_MEMORY_BYTES) break
    kept.delete(name)
    keptBytes -= file.body.byteLength
  }
  return { ok: true, body, contentType }
}
