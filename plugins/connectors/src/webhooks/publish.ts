/**
 * `post.published`: an afterChange hook for collections with drafts (CMS posts today; social posts when
 * that issue lands) that emits once when a document's `_status` turns `published`, in the save's transaction.
 */
import type { CollectionAfterChangeHook } from 'payload'
import { emitWebhookEvent } from './emit.ts'
import { idOf } from './secrets.ts'

export const emitPostPublished: CollectionAfterChangeHook = async ({ doc, previousDoc, collection, req }) => {
  const published = doc?._status === 'published' && previousDoc?._status !== 'published'
  const tenant = idOf(doc?.tenant)
  if (!published || tenant === undefined) return doc
  await emitWebhookEvent(req.payload, {
    tenant,
    type: 'post.published',
    req,
    data: {
      collection: collection.slug,
      id: doc.id,
      title: doc.title ?? null,
      slug: doc.slug ?? null,
      publishedAt: doc.publishedAt ?? doc.updatedAt ?? null,
    },
  })
  return doc
}
