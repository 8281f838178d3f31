/**
 * The social plugin's raw SQL (STYLE 7: one home per package): the publisher's state changes on
 * `social_variants`, each one statement guarded by the status it expects (and, while publishing, by
 * the attempt that claimed it), so two workers can never both move a variant — the basis of
 * "published exactly once". Payload's postgres adapter names the tables and columns (snake_case).
 */
import type { VariantStatus } from '@bizosaas/contracts/social'

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
}

export const VARIANTS_TABLE = 'social_variants'
export const POSTS_TABLE = 'social_posts'

/** A variant as the publisher reads it (relations as ids). */
export interface VariantRow {
  id: number
  tenant: number
  post: number
  account: number
  platform: string
  status: VariantStatus
  scheduledAt: Date | null
  attempt: number
  claimedAt: Date | null
  platformPostId: string | null
  platformUrl: string | null
  threadIds: string[] | null
  publishedAt: Date | null
}

/** The publisher's columns of `social_variants` (`alias.` prefixed when given). */
const variantColumns = (alias = '') => {
  const a = alias ? `${alias}.` : ''
  return `${a}id, ${a}tenant_id AS tenant, ${a}post_id AS post, ${a}account_id AS account, ${a}platform::text AS platform,
  ${a}status::text AS status, ${a}scheduled_at AS "scheduledAt", coalesce(${a}attempt, 0)::int AS attempt,
  ${a}claimed_at AS "claimedAt", ${a}platform_post_id AS "platformPostId", ${a}platform_url AS "platformUrl",
  ${a}thread_ids AS "threadIds", ${a}published_at AS "publishedAt"`
}
const VARIANT_COLUMNS = variantColumns()

export async function selectVariant(db: Queryable, id: number | string): Promise<VariantRow | undefined> {
  const { rows } = await db.query<VariantRow>(`SELECT ${VARIANT_COLUMNS} FROM ${VARIANTS_TABLE} WHERE id = $1`, [id])
  return rows[0]
}

/**
 * Claims a due variant for one publish attempt: `scheduled` → `publishing`, attempt + 1. Only one
 * caller can win (the row lock serialises them and the loser no longer sees `scheduled`); a variant not
 * yet due is not claimed, so nothing is posted before its minute.
 */
export async function claimVariant(db: Queryable, id: number | string): Promise<VariantRow | undefined> {
  const { rows } = await db.query<VariantRow>(
    `UPDATE ${VARIANTS_TABLE} SET status = 'publishing', attempt = coalesce(attempt, 0) + 1, claimed_at = now(),
       error = NULL, error_code = NULL, updated_at = now()
     WHERE id = $1 AND status = 'scheduled' AND scheduled_at <= now()
     RETURNING ${VARIANT_COLUMNS}`,
    [id],
  )
  return rows[0]
}

/**
 * Takes over a variant left in `publishing` by attempt `attempt` (its worker died), once that attempt's
 * platform call must have ended (`claimed_at` older than `staleSeconds`): attempt + 1, so a late write of
 * the dead attempt can no longer land. Returns the row with `since`, the earliest moment a post for it can
 * have been made (for `lookup`).
 */
export async function reclaimVariant(
  db: Queryable,
  id: number | string,
  attempt: number,
  staleSeconds: number,
): Promise<(VariantRow & { since: Date }) | undefined> {
  const { rows } = await db.query<VariantRow & { since: Date }>(
    `WITH old AS (
       SELECT id, least(scheduled_at, claimed_at) AS since FROM ${VARIANTS_TABLE}
       WHERE id = $1 AND status = 'publishing' AND coalesce(attempt, 0) = $2
         AND claimed_at <= now() - make_interval(secs => $3)
       FOR UPDATE)
     UPDATE ${VARIANTS_TABLE} v SET attempt = coalesce(v.attempt, 0) + 1, claimed_at = now(), updated_at = now()
     FROM old WHERE v.id = old.id
     RETURNING ${variantColumns('v')}, old.since`,
    [id, attempt, staleSeconds],
  )
  return rows[0]
}

/** `publishing` (this attempt) → `published` with the platform's ids. False when the attempt lost its claim. */
export async function markPublished(
  db: Queryable,
  id: number | string,
  attempt: number,
  ref: { postId: string; url: string; threadIds?: string[] },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE ${VARIANTS_TABLE} SET status = 'published', platform_post_id = $3, platform_url = $4,
       thread_ids = $5::jsonb, published_at = now(), error = NULL, error_code = NULL, updated_at = now()
     WHERE id = $1 AND status = 'publishing' AND coalesce(attempt, 0) = $2`,
    [id, attempt, ref.postId, ref.url, JSON.stringify(ref.threadIds ?? [])],
  )
  return rowCount === 1
}

/** `publishing` (this attempt) → `failed` | `unconfirmed` | `scheduled`, with the reason in words. */
export async function settleAttempt(
  db: Queryable,
  id: number | string,
  attempt: number,
  status: 'failed' | 'unconfirmed' | 'scheduled',
  error: string | null,
  errorCode: string | null,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE ${VARIANTS_TABLE} SET status = $3::text::enum_social_variants_status, error = $4, error_code = $5, updated_at = now()
     WHERE id = $1 AND status = 'publishing' AND coalesce(attempt, 0) = $2`,
    [id, attempt, status, error, errorCode],
  )
  return rowCount === 1
}

/** A variant that is not being published → `failed` (before any claim: the account or platform is unusable). */
export async function failScheduled(db: Queryable, id: number | string, error: string, errorCode: string) {
  const { rowCount } = await db.query(
    `UPDATE ${VARIANTS_TABLE} SET status = 'failed', error = $2, error_code = $3, updated_at = now()
     WHERE id = $1 AND status = 'scheduled'`,
    [id, error, errorCode],
  )
  return rowCount === 1
}

/**
 * A person's settlement of a variant whose outcome is unknown or failed (check found it, or they confirm
 * it is there): → `published`. Guarded by the statuses it may leave.
 */
export async function confirmPublished(
  db: Queryable,
  id: number | string,
  from: readonly VariantStatus[],
  ref: { postId: string | null; url: string | null; threadIds?: string[] },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE ${VARIANTS_TABLE} SET status = 'published', platform_post_id = coalesce($3, platform_post_id),
       platform_url = coalesce($4, platform_url), thread_ids = coalesce($5::jsonb, thread_ids),
       published_at = coalesce(published_at, now()), error = NULL, error_code = NULL, updated_at = now()
     WHERE id = $1 AND status = ANY($2::text[]::enum_social_variants_status[])`,
    [id, from, ref.postId, ref.url, ref.threadIds ? JSON.stringify(ref.threadIds) : null],
  )
  return rowCount === 1
}

/** `failed` / `unconfirmed` → `scheduled` for now (republish). */
export async function rescheduleNow(db: Queryable, id: number | string, from: readonly VariantStatus[]) {
  const { rows } = await db.query<{ scheduledAt: Date }>(
    `UPDATE ${VARIANTS_TABLE} SET status = 'scheduled', scheduled_at = now(), error = NULL, error_code = NULL,
       updated_at = now()
     WHERE id = $1 AND status = ANY($2::text[]::enum_social_variants_status[])
     RETURNING scheduled_at AS "scheduledAt"`,
    [id, from],
  )
  return rows[0]
}

/** Scheduled variants due by `until` (the sweep that re-enqueues any whose job went missing). */
export async function selectDueScheduled(db: Queryable, until: Date, limit: number) {
  const { rows } = await db.query<{ id: number; scheduledAt: Date }>(
    `SELECT id, scheduled_at AS "scheduledAt" FROM ${VARIANTS_TABLE}
     WHERE status = 'scheduled' AND scheduled_at <= $1 ORDER BY scheduled_at LIMIT $2`,
    [until, limit],
  )
  return rows
}

/** Takes the post's row lock for the rest of the transaction (recomputing its status and totals). */
export const lockPost = (db: Queryable, post: number | string) =>
  db.query(`SELECT id FROM ${POSTS_TABLE} WHERE id = $1 FOR UPDATE`, [post])

export async function selectPostVariantStatuses(db: Queryable, post: number | string) {
  const { rows } = await db.query<{ status: VariantStatus }>(
    `SELECT status::text AS status FROM ${VARIANTS_TABLE} WHERE post_id = $1`,
    [post],
  )
  return rows
}

export const METRIC_FIELDS = ['impressions', 'likes', 'reposts', 'replies', 'clicks'] as const

/** The post's status and metric totals, from its variants (call under `lockPost`). */
export async function updatePostRollup(db: Queryable, post: number | string, status: VariantStatus) {
  await db.query(
    `UPDATE ${POSTS_TABLE} p SET status = $2::text::enum_social_posts_status, updated_at = now(),
       ${METRIC_FIELDS.map((f) => `metrics_${f} = t.${f}`).join(', ')}
     FROM (SELECT ${METRIC_FIELDS.map((f) => `sum(metrics_${f}) AS ${f}`).join(', ')}
           FROM ${VARIANTS_TABLE} WHERE post_id = $1) t
     WHERE p.id = $1 AND (p.status IS DISTINCT FROM $2::text::enum_social_posts_status
       OR ${METRIC_FIELDS.map((f) => `p.metrics_${f} IS DISTINCT FROM t.${f}`).join(' OR ')})`,
    [post, status],
  )
}

/** Stores one metrics reading on the variant: the current numbers and the window's history entry. */
export async function storeVariantMetrics(
  db: Queryable,
  id: number | string,
  metrics: Partial<Record<(typeof METRIC_FIELDS)[number], number>>,
  entry: Record<string, unknown>,
) {
  await db.query(
    `UPDATE ${VARIANTS_TABLE} SET ${METRIC_FIELDS.map((f, i) => `metrics_${f} = coalesce($${i + 2}, metrics_${f})`).join(', ')},
       metrics_collected_at = now(), updated_at = now(),
       metrics_history = coalesce((SELECT jsonb_agg(h) FROM jsonb_array_elements(coalesce(metrics_history, '[]'::jsonb)) h
                                   WHERE h->>'window' IS DISTINCT FROM $7), '[]'::jsonb) || jsonb_build_array($8::jsonb)
     WHERE id = $1`,
    [id, ...METRIC_FIELDS.map((f) => metrics[f] ?? null), entry.window, JSON.stringify(entry)],
  )
}

/** A note on the variant that a metrics reading could not be taken (the post itself stays published). */
export async function noteMetricsProblem(db: Queryable, id: number | string, note: string) {
  await db.query(`UPDATE ${VARIANTS_TABLE} SET error = $2, error_code = 'metrics', updated_at = now() WHERE id = $1`, [
    id,
    note,
  ])
}
