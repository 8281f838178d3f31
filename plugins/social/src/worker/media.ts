/**
 * A variant's attachments as the platforms take them (`PublishMedia`): the `media` upload docs, their
 * bytes read on demand from the upload's local file (or fetched from its public URL when the storage is
 * elsewhere), with an absolute public URL (Instagram's Graph API fetches the image itself).
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import type { PublishMedia } from '../platforms/define.ts'

interface MediaDoc {
  id: number | string
  url?: string | null
  filename?: string | null
  mimeType?: string | null
  filesize?: number | null
  alt?: string | null
}

/** The public origin media URLs are relative to: Payload's `serverURL` (the CMS sets it from CMS_URL). */
export function publicOrigin(payload: Payload): string {
  return (payload.config.serverURL || process.env.CMS_URL || 'http://localhost:3001').replace(/\/$/, '')
}

const absolute = (origin: string, url: string) =>
  /^https?:\/\//.test(url) ? url : `${origin}${url.startsWith('/') ? '' : '/'}${url}`

/** The upload docs `ids` (in order) as `PublishMedia`. Throws, naming the file, when one is gone. */
export async function publishMediaOf(payload: Payload, ids: readonly (number | string)[]): Promise<PublishMedia[]> {
  if (!ids.length) return []
  const collection = payload.collections.media
  const staticDir = (collection?.config.upload as { staticDir?: string } | undefined)?.staticDir
  const origin = publicOrigin(payload)
  const found = await payload.find({
    collection: 'media' as never,
    where: { id: { in: ids } },
    depth: 0,
    limit: ids.length,
    pagination: false,
    overrideAccess: true,
  })
  const byId = new Map((found.docs as unknown as MediaDoc[]).map((doc) => [String(doc.id), doc]))
  return ids.map((id) => {
    const doc = byId.get(String(id))
    if (!doc?.filename) throw new Error(`The attachment ${id} no longer exists in the media library`)
    const url = absolute(origin, doc.url ?? `/api/media/file/${encodeURIComponent(doc.filename)}`)
    const file = staticDir ? path.resolve(staticDir, doc.filename) : undefined
    return {
      url,
      mimeType: doc.mimeType ?? 'application/octet-stream',
      filename: doc.filename,
      filesize: doc.filesize ?? 0,
      alt: doc.alt ?? undefined,
      async bytes() {
        if (file) {
          try {
            return new Uint8Array(await readFile(file))
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
          }
        }
        const res = await fetch(url)
        if (!res.ok) throw new Error(`The attachment ${doc.filename} could not be read (${res.status} from ${url})`)
        return new Uint8Array(await res.arrayBuffer())
      },
    }
  })
}
