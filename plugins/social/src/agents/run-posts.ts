/**
 * Creating an agent run's social posts exactly once. Every post records the run in `origin.run`; a
 * second apply (a crash after the write, before the run was marked applied) finds the run's posts and
 * creates only those missing, matched by title (titles of one run are made distinct).
 */
import type { Id } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'
import { SOCIAL_POSTS } from '../constants.ts'
import { createSocialPost } from '../posts.ts'

type CreateArgs = Parameters<typeof createSocialPost>[1]

/** What one apply asks for: the post, without tenant and origin (added here). */
export type PlannedPost = Omit<CreateArgs, 'tenant' | 'origin'>

export interface RunPost {
  id: Id
  title: string
  status: string
  created: boolean
}

/** Posts of the tenant that run `runId` made. */
export async function postsOfRun(payload: Payload, tenant: Id, runId: string) {
  const found = await payload.find({
    collection: SOCIAL_POSTS as never,
    where: { and: [{ tenant: { equals: tenant } }, { 'origin.run': { equals: runId } }] },
    depth: 0,
    limit: 100,
    overrideAccess: true,
    sort: 'createdAt',
  })
  return found.docs as unknown as { id: Id; title: string; status: string }[]
}

/** Titles made distinct ("Tips (2)") so a retried apply can tell a run's posts apart. */
export function distinctTitles(titles: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return titles.map((title) => {
    const n = (seen.get(title) ?? 0) + 1
    seen.set(title, n)
    return n === 1 ? title : `${title} (${n})`
  })
}

/** Creates the run's posts that do not exist yet, in order; returns every one of them. */
export async function createRunPosts(
  payload: Payload,
  args: { tenant: Id; agent: string; runId: string; posts: readonly PlannedPost[] },
): Promise<RunPost[]> {
  const existing = await postsOfRun(payload, args.tenant, args.runId)
  const titles = distinctTitles(args.posts.map((post) => post.title))
  const result: RunPost[] = []
  for (const [i, planned] of args.posts.entries()) {
    const title = titles[i]!
    const earlier = existing.find((post) => post.title === title)
    if (earlier) {
      result.push({ id: earlier.id, title, status: earlier.status, created: false })
      continue
    }
    const { post } = await createSocialPost(payload, {
      ...planned,
      title,
      tenant: args.tenant,
      origin: { agent: args.agent, run: args.runId },
    } as CreateArgs)
    const doc = post as { id: Id; status?: string }
    result.push({ id: doc.id, title, status: String(doc.status ?? planned.status ?? 'draft'), created: true })
  }
  return result
}
