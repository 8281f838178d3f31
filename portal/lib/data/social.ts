/**
 * A tenant's social publishing as the portal sees it: the posts of a calendar range with their variants,
 * one post in full, the accounts (and the profiles/pages a connection may post as), the tenant's media,
 * and every change — create, submit, approve, reject, reschedule, unschedule, the unconfirmed variant's
 * check / confirm / republish. Reads use the collections' REST API (field names fixed by the contract; the
 * CMS applies tenant access); changes go through the social plugin's endpoints, which validate and refuse
 * with the rule and the platform named. Calendar dates are UTC days (the page says so).
 */
import {
  SOCIAL_PLATFORMS,
  type SocialPlatformId,
  VARIANT_STATUSES,
  type VariantStatus,
} from '@bizosaas/contracts/social'
import { cmsErrorMessage, cmsFetch, whereQuery } from '@lib/data/cms'
import { getCatalogue } from '@lib/data/connectors'

export type CalendarView = 'week' | 'month'

export interface SocialMetrics {
  impressions: number
  likes: number
  reposts: number
  replies: number
  clicks: number
}
export const METRIC_NAMES = ['impressions', 'likes', 'reposts', 'replies', 'clicks'] as const

export interface SocialAccount {
  id: string
  platform: SocialPlatformId
  name: string
  handle: string | null
  url: string | null
  targetType: string | null
  active: boolean
  connection: { id: string; name: string; status: string; connector: string } | null
}

export interface SocialMedia {
  id: string
  filename: string
  alt: string
  mimeType: string
  filesize: number
}

export interface SocialVariant {
  id: string
  platform: SocialPlatformId
  account: SocialAccount | null
  accountId: string
  text: string
  thread: string[]
  media: string[]
  link: string | null
  status: VariantStatus
  scheduledAt: string | null
  publishedAt: string | null
  platformUrl: string | null
  error: string | null
  errorCode: string | null
  metrics: SocialMetrics
  metricsHistory: ({ window: string; at: string } & Partial<SocialMetrics>)[]
}

export interface SocialPost {
  id: string
  title: string
  status: VariantStatus
  scheduledAt: string | null
  campaign: string | null
  link: string | null
  media: string[]
  rejectionNote: string | null
  approvedAt: string | null
  origin: { agent: string | null }
  metrics: SocialMetrics
  variants: SocialVariant[]
}

type Raw = Record<string, unknown>
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
const idOf = (v: unknown): string =>
  v && typeof v === 'object' ? String((v as { id?: unknown }).id ?? '') : v == null ? '' : String(v)
const platformOf = (v: unknown): SocialPlatformId =>
  (SOCIAL_PLATFORMS as readonly string[]).includes(String(v)) ? (v as SocialPlatformId) : 'x'
const statusOf = (v: unknown): VariantStatus =>
  (VARIANT_STATUSES as readonly string[]).includes(String(v)) ? (v as VariantStatus) : 'draft'

export function metricsOf(v: unknown): SocialMetrics {
  const m = (v ?? {}) as Raw
  return {
    impressions: num(m.impressions),
    likes: num(m.likes),
    reposts: num(m.reposts),
    replies: num(m.replies),
    clicks: num(m.clicks),
  }
}

function accountOf(raw: unknown): SocialAccount | null {
  if (!raw || typeof raw !== 'object') return null
  const a = raw as Raw
  const c = a.connection && typeof a.connection === 'object' ? (a.connection as Raw) : null
  return {
    id: idOf(a),
    platform: platformOf(a.platform),
    name: str(a.name) ?? str(a.handle) ?? `Account ${idOf(a)}`,
    handle: str(a.handle),
    url: str(a.url),
    targetType: str(a.targetType),
    active: a.active !== false,
    connection: c
      ? {
          id: idOf(c),
          name: str(c.name) ?? str(c.connector) ?? '',
          status: str(c.status) ?? 'connected',
          connector: str(c.connector) ?? '',
        }
      : a.connection == null
        ? null
        : { id: idOf(a.connection), name: '', status: 'connected', connector: '' },
  }
}

function variantOf(raw: Raw): SocialVariant {
  const account = accountOf(raw.account)
  return {
    id: idOf(raw),
    platform: platformOf(raw.platform ?? account?.platform),
    account,
    accountId: idOf(raw.account),
    text: typeof raw.text === 'string' ? raw.text : '',
    thread: Array.isArray(raw.thread) ? raw.thread.map((p) => String((p as Raw)?.text ?? p ?? '')) : [],
    media: Array.isArray(raw.media) ? raw.media.map(idOf) : [],
    link: str(raw.link),
    status: statusOf(raw.status),
    scheduledAt: str(raw.scheduledAt),
    publishedAt: str(raw.publishedAt),
    platformUrl: str(raw.platformUrl),
    error: str(raw.error),
    errorCode: str(raw.errorCode),
    metrics: metricsOf(raw.metrics),
    metricsHistory: Array.isArray(raw.metricsHistory) ? (raw.metricsHistory as SocialVariant['metricsHistory']) : [],
  }
}

function postOf(raw: Raw, variants: SocialVariant[]): SocialPost {
  return {
    id: idOf(raw),
    title: str(raw.title) ?? 'Untitled post',
    status: statusOf(raw.status),
    scheduledAt: str(raw.scheduledAt),
    campaign: str(raw.campaign),
    link: str(raw.link),
    media: Array.isArray(raw.media) ? raw.media.map(idOf) : [],
    rejectionNote: str(raw.rejectionNote),
    approvedAt: str(raw.approvedAt),
    origin: { agent: str((raw.origin as Raw | undefined)?.agent) },
    metrics: metricsOf(raw.metrics),
    variants,
  }
}

/** The variants of `posts` (account and its connection populated), grouped by post id. */
async function variantsOf(token: string, postIds: string[]): Promise<Map<string, SocialVariant[]>> {
  const byPost = new Map<string, SocialVariant[]>()
  if (!postIds.length) return byPost
  const res = await cmsFetch<{ docs?: Raw[] }>(
    `/social-variants?where[post][in]=${postIds.map(encodeURIComponent).join(',')}&depth=2&limit=1000&sort=id`,
    { token },
  )
  for (const raw of res.ok ? (res.body.docs ?? []) : []) {
    const post = idOf(raw.post)
    const list = byPost.get(post) ?? []
    list.push(variantOf(raw))
    byPost.set(post, list)
  }
  return byPost
}

/** The first and last (exclusive) UTC instants a week (Monday first) or month view of `date` shows. */
export function calendarRange(view: CalendarView, date: string): { from: Date; to: Date; days: string[] } {
  const day = parseDay(date) ?? startOfUtcDay(new Date())
  let from: Date
  let to: Date
  if (view === 'week') {
    from = addDays(day, -((day.getUTCDay() + 6) % 7))
    to = addDays(from, 7)
  } else {
    const first = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1))
    from = addDays(first, -((first.getUTCDay() + 6) % 7))
    const next = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1))
    const end = addDays(next, (7 - ((next.getUTCDay() + 6) % 7)) % 7)
    to = end
  }
  const days: string[] = []
  for (let d = from; d < to; d = addDays(d, 1)) days.push(dayKey(d))
  return { from, to, days }
}

/** `2026-12-08` → that UTC midnight; null for anything else. */
export function parseDay(value: string | undefined | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null
  const d = new Date(`${value}T00:00:00.000Z`)
  return Number.isNaN(d.getTime()) ? null : d
}
export const dayKey = (d: Date): string => d.toISOString().slice(0, 10)
export const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * 86_400_000)
const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))

export interface CalendarData {
  scheduled: SocialPost[]
  /** Drafts and posts awaiting approval without a time: the side list. */
  unscheduled: SocialPost[]
}

/**
 * The posts placed in [from, to) and the drafts and awaiting-approval posts with no time yet
 * (`GET /api/social/calendar`: one request, variants and accounts included).
 */
export async function getCalendar(
  token: string,
  tenant: string,
  from: Date,
  to: Date,
): Promise<CalendarData | { error: string }> {
  const res = await cmsFetch<{ posts?: Raw[]; unscheduled?: Raw[]; accounts?: Raw[] }>(
    `/social/calendar?tenant=${encodeURIComponent(tenant)}&from=${from.toISOString()}&to=${to.toISOString()}`,
    { token },
  )
  if (!res.ok) return { error: cmsErrorMessage(res.body, 'The calendar could not be loaded') }
  const accounts = new Map((res.body.accounts ?? []).map((a) => [idOf(a), a]))
  const withAccounts = (p: Raw) =>
    postOf(
      p,
      (Array.isArray(p.variants) ? (p.variants as Raw[]) : []).map((v) =>
        variantOf({ ...v, account: accounts.get(idOf(v.account)) ?? v.account }),
      ),
    )
  return {
    scheduled: (res.body.posts ?? []).map(withAccounts),
    unscheduled: (res.body.unscheduled ?? []).map(withAccounts),
  }
}

/** One post of this tenant with its variants; null when there is none (or it is another tenant's). */
export async function getSocialPost(token: string, tenant: string, id: string): Promise<SocialPost | null> {
  if (!/^[\w-]+$/.test(id)) return null
  const res = await cmsFetch<Raw>(`/social-posts/${encodeURIComponent(id)}?depth=0`, { token })
  if (!res.ok || idOf(res.body.tenant) !== tenant) return null
  const variants = await variantsOf(token, [id])
  return postOf(res.body, variants.get(id) ?? [])
}

/** Published posts (newest first) for the metrics charts. */
export async function listPublishedPosts(token: string, tenant: string, limit = 30): Promise<SocialPost[]> {
  const q = `${whereQuery({ tenant: { equals: tenant } })}&where[status][in]=published,failed,unconfirmed`
  const res = await cmsFetch<{ docs?: Raw[] }>(`/social-posts?${q}&depth=0&limit=${limit}&sort=-scheduledAt`, {
    token,
  })
  if (!res.ok) return []
  const docs = res.body.docs ?? []
  const variants = await variantsOf(token, docs.map(idOf))
  return docs.map((d) => postOf(d, variants.get(idOf(d)) ?? []))
}

/** Totals per platform over the variants of `posts`. */
export function metricsByPlatform(
  posts: readonly SocialPost[],
): { platform: SocialPlatformId; metrics: SocialMetrics }[] {
  const totals = new Map<SocialPlatformId, SocialMetrics>()
  for (const p of posts)
    for (const v of p.variants) {
      const t = totals.get(v.platform) ?? metricsOf({})
      for (const k of METRIC_NAMES) t[k] += v.metrics[k]
      totals.set(v.platform, t)
    }
  return [...totals].map(([platform, metrics]) => ({ platform, metrics }))
}

/** The tenant's social accounts, connection populated (its status says whether to reconnect). */
export async function listSocialAccounts(token: string, tenant: string): Promise<SocialAccount[]> {
  const res = await cmsFetch<{ docs?: Raw[] }>(
    `/social-accounts?${whereQuery({ tenant: { equals: tenant } })}&depth=1&limit=200&sort=platform`,
    { token },
  )
  return res.ok ? (res.body.docs ?? []).flatMap((d) => accountOf(d) ?? []) : []
}

/** The tenant's images (what the platforms take) for the composer's media picker. */
export async function listSocialMedia(token: string, tenant: string): Promise<SocialMedia[]> {
  const res = await cmsFetch<{ docs?: Raw[] }>(
    `/media?${whereQuery({ tenant: { equals: tenant } })}&depth=0&limit=100&sort=-createdAt`,
    { token },
  )
  return res.ok
    ? (res.body.docs ?? []).map((m) => ({
        id: idOf(m),
        filename: str(m.filename) ?? `media ${idOf(m)}`,
        alt: str(m.alt) ?? '',
        mimeType: str(m.mimeType) ?? 'application/octet-stream',
        filesize: num(m.filesize),
      }))
    : []
}

export interface SocialTarget {
  id: string
  platform: SocialPlatformId
  type: string
  name: string
  handle: string | null
  /** The social account it is added as already, if it is. */
  account: string | null
}

/** A social connection of the tenant with the profiles/pages it may post as (the connector asks the platform). */
export interface ConnectionTargets {
  connection: { id: string; name: string; connector: string; status: string }
  targets: SocialTarget[]
  error?: string
}

/**
 * The tenant's social connections (those of connectors in the `social` category of the connectors'
 * catalogue), each with the targets it may post as (`GET /api/social/accounts/targets`, one connection at
 * a time; a refusal — e.g. a connection that needs reconnecting — is kept on its row).
 */
export async function listAccountTargets(
  token: string,
  tenant: string,
): Promise<ConnectionTargets[] | { error: string }> {
  const catalogue = await getCatalogue(token, tenant)
  if ('error' in catalogue) return catalogue
  const social = new Set(catalogue.connectors.filter((c) => c.category === 'social').map((c) => c.id))
  return Promise.all(
    catalogue.connections
      .filter((c) => social.has(c.connector))
      .map(async (c): Promise<ConnectionTargets> => {
        const connection = { id: String(c.id), name: c.name, connector: c.connector, status: c.status }
        const found = await cmsFetch<{ targets?: Raw[] }>(
          `/social/accounts/targets?tenant=${encodeURIComponent(tenant)}&connection=${encodeURIComponent(connection.id)}`,
          { token },
        )
        if (!found.ok) return { connection, targets: [], error: cmsErrorMessage(found.body) }
        return {
          connection,
          targets: (found.body.targets ?? []).map((t) => ({
            id: String(t.id ?? ''),
            platform: platformOf(t.platform),
            type: str(t.type) ?? 'profile',
            name: str(t.name) ?? String(t.id ?? ''),
            handle: str(t.handle),
            account: t.account == null ? null : String(t.account),
          })),
        }
      }),
  )
}

/** A refusal from the social endpoints: its message, and the rule issues when a rule refused. */
export interface SocialRefusal {
  ok: false
  error: string
  issues?: { rule: string; platform?: SocialPlatformId; message: string; severity?: string; account?: string }[]
}
export type SocialResult<T = Raw> = { ok: true; body: T } | SocialRefusal

function outcome<T>(res: { ok: boolean; body: unknown }): SocialResult<T> {
  if (res.ok) return { ok: true, body: res.body as T }
  const b = (res.body ?? {}) as Raw
  // The endpoints answer `{ error, issues }`; Payload's own API errors carry them in `errors[0].data`.
  const nested = (b.errors as { data?: { issues?: unknown } }[] | undefined)?.[0]?.data?.issues
  const list = Array.isArray(b.issues) ? b.issues : Array.isArray(nested) ? nested : undefined
  const issues = list as SocialRefusal['issues']
  return { ok: false, error: cmsErrorMessage(res.body), issues }
}

export interface PostInput {
  title: string
  scheduledAt?: string
  campaign?: string
  link?: string
  media?: string[]
  variants: { account: string; text: string; thread?: string[]; media?: string[] }[]
  status: 'draft' | 'awaiting-approval' | 'scheduled'
}

/**
 * Creates a post with its variants (`POST /api/social/posts`; the service validates every variant and
 * builds their links).
 */
export async function createSocialPostFor(
  token: string,
  tenant: string,
  input: PostInput,
): Promise<SocialResult<{ post?: Raw; id?: string | number }>> {
  return outcome(await cmsFetch('/social/posts', { token, method: 'POST', body: { tenant: Number(tenant), ...input } }))
}

/**
 * Replaces a draft's content over REST: the post's fields, then one variant per chosen account (changed,
 * added, or removed when no longer chosen). The collections' hooks run the same checks as the service
 * and refuse a post past draft; the first refusal stops here and is returned.
 */
export async function updateDraft(
  token: string,
  tenant: string,
  id: string,
  input: Omit<PostInput, 'status'>,
): Promise<SocialResult<{ id: string }>> {
  const post = await cmsFetch(`/social-posts/${encodeURIComponent(id)}?depth=0`, {
    token,
    method: 'PATCH',
    body: {
      title: input.title,
      scheduledAt: input.scheduledAt ?? null,
      campaign: input.campaign ?? null,
      link: input.link ?? null,
      media: (input.media ?? []).map(Number),
    },
  })
  if (!post.ok) return outcome(post)
  const existing = await cmsFetch<{ docs?: Raw[] }>(
    `/social-variants?where[post][equals]=${encodeURIComponent(id)}&depth=0&limit=100`,
    { token },
  )
  if (!existing.ok) return outcome(existing)
  const byAccount = new Map((existing.body.docs ?? []).map((v) => [idOf(v.account), idOf(v)]))
  for (const v of input.variants) {
    const body = {
      text: v.text,
      thread: (v.thread ?? []).map((text) => ({ text })),
      media: (v.media ?? []).map(Number),
    }
    const current = byAccount.get(v.account)
    const res = current
      ? await cmsFetch(`/social-variants/${current}?depth=0`, { token, method: 'PATCH', body })
      : await cmsFetch('/social-variants?depth=0', {
          token,
          method: 'POST',
          body: { ...body, tenant: Number(tenant), post: Number(id) || id, account: Number(v.account) || v.account },
        })
    if (!res.ok) return outcome(res)
    byAccount.delete(v.account)
  }
  for (const gone of byAccount.values()) {
    const res = await cmsFetch(`/social-variants/${gone}`, { token, method: 'DELETE' })
    if (!res.ok) return outcome(res)
  }
  return { ok: true, body: { id } }
}

export type PostAction = 'submit' | 'approve' | 'reject' | 'reschedule' | 'unschedule'

/** One of the post's transitions; `extra` carries `note` (reject) or `scheduledAt` (reschedule). */
export async function socialPostAction(
  token: string,
  tenant: string,
  id: string,
  action: PostAction,
  extra: Record<string, unknown> = {},
): Promise<SocialResult> {
  return outcome(
    await cmsFetch(`/social/posts/${encodeURIComponent(id)}/${action}`, {
      token,
      method: 'POST',
      body: { tenant: Number(tenant), ...extra },
    }),
  )
}

export type VariantAction = 'check' | 'confirm' | 'republish'

/** An unconfirmed variant: ask the platform (check), say it is there (confirm), or publish it again. */
export async function socialVariantAction(
  token: string,
  tenant: string,
  id: string,
  action: VariantAction,
  extra: Record<string, unknown> = {},
): Promise<SocialResult> {
  return outcome(
    await cmsFetch(`/social/variants/${encodeURIComponent(id)}/${action}`, {
      token,
      method: 'POST',
      body: { tenant: Number(tenant), ...extra },
    }),
  )
}

/** Adds the profile/page `targetId` of `connection` as a social account of the tenant. */
export async function addSocialAccount(
  token: string,
  tenant: string,
  body: { connection: string; targetId: string; platform: SocialPlatformId },
): Promise<SocialResult> {
  return outcome(
    await cmsFetch('/social/accounts', {
      token,
      method: 'POST',
      body: {
        tenant: Number(tenant),
        connection: Number(body.connection),
        targetId: body.targetId,
        platform: body.platform,
      },
    }),
  )
}
