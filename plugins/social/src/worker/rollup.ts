/**
 * A post's status and metric totals, recomputed from its variants after each change the publisher makes
 * (`postStatusOf` from the shared contract). The post's row lock serialises two workers finishing two
 * variants of the same post, so the last one to commit always sees both.
 */
import { postStatusOf } from '@bizosaas/contracts/social'
import type { Payload } from 'payload'
import { lockPost, selectPostVariantStatuses, updatePostRollup } from '../sql.ts'
import { inTransaction } from './queue.ts'

export async function rollupPost(payload: Payload, post: number | string): Promise<void> {
  await inTransaction(payload, async (_db, sql) => {
    await lockPost(sql, post)
    const variants = await selectPostVariantStatuses(sql, post)
    if (!variants.length) return
    await updatePostRollup(sql, post, postStatusOf(variants))
  })
}
