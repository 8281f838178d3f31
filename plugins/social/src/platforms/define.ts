/**
 * The contract of a social platform: how BizOSaaS posts to it. A platform names the connector whose
 * connection it posts with (tokens, refresh and reconnect are the connectors plugin's job), its rules
 * (from `@bizosaas/contracts/social`, shared with the portal), and implements: which profiles or pages a
 * connection can post as, publish, find a post made for a variant after an unknown outcome, and metrics.
 */
import type { PlatformRules, RuleIssue, SocialPlatformId, VariantDraft } from '@bizosaas/contracts/social'

/** Who a variant is posted as: the profile, page or organisation a social account chose. */
export interface SocialTarget {
  /** The platform's id of it: X user id, `urn:li:person:…` / `urn:li:organization:…`, Page id, IG user id, DID, Mastodon account id. */
  id: string
  /** `profile`: the connected person; `organization`: a LinkedIn organisation page; `page`: a Facebook Page; `business`: an Instagram business account. */
  type: 'profile' | 'organization' | 'page' | 'business'
  /** Display name. */
  name: string
  /** `@handle` where the platform has one. */
  handle?: string
  /** The profile's public URL. */
  url?: string
  avatarUrl?: string
}

/** One attachment, ready to upload. */
export interface PublishMedia {
  /** Absolute public URL (Instagram's Graph API fetches it itself). */
  url: string
  /** The bytes, read on demand (most platforms take an upload). */
  bytes(): Promise<Uint8Array>
  mimeType: string
  filename: string
  filesize: number
  alt?: string
}

/** What one publish call posts: one variant. */
export interface PublishInput {
  /** The `social-variants` id. */
  variantId: string
  /**
   * Stable for the variant across attempts: sent as the platform's idempotency key where it has one
   * (Mastodon `Idempotency-Key`; Bluesky's record key is derived from it).
   */
  idempotencyKey: string
  target: SocialTarget
  /** The first part's text, the link already in it (with UTM parameters) where the author put it. */
  text: string
  /** Following parts of a thread, posted as replies in order. */
  thread: readonly string[]
  media: readonly PublishMedia[]
  /** When this attempt was claimed: `lookup` looks for posts made since then. */
  claimedAt: Date
  signal?: AbortSignal
}

/** A published post: the platform's id and public URL (for a thread, the first part's). */
export interface PublishedRef {
  postId: string
  url: string
  /** Ids of the following thread parts, in order. */
  threadIds?: string[]
}

/** What the platform reports for one post; fields it does not give stay undefined. */
export interface PostMetrics {
  impressions?: number
  likes?: number
  reposts?: number
  replies?: number
  clicks?: number
}

/**
 * Why a publish did not succeed, as the publisher acts on it:
 * - `rejected`: the platform refused the post (validation, duplicate, permissions); nothing was posted.
 *   The variant fails with `message`.
 * - `rate-limited`: nothing was posted; try again after `retryAfterMs`.
 * - `needs-reconnect`: the grant is gone (the connection was marked); nothing was posted.
 * - `unknown`: a timeout, a 5xx or a dropped connection after the request was sent: it may have been
 *   posted. The variant becomes `unconfirmed`; it is never re-sent blindly.
 * `message` is in words a person understands and names the platform: "X refused the post: …".
 */
export class PublishError extends Error {
  override name = 'PublishError'
  constructor(
    readonly kind: 'rejected' | 'rate-limited' | 'needs-reconnect' | 'unknown',
    message: string,
    readonly options: { retryAfterMs?: number; status?: number; platformCode?: string } = {},
  ) {
    super(message)
  }
}

/** Per-platform pacing of publish calls (the publisher enforces it across processes). */
export interface PlatformPacing {
  /** Publish calls per account per `windowSeconds`. */
  perAccount: { points: number; windowSeconds: number }
  /** Publish calls in flight to this platform per worker process. */
  concurrency: number
}

export interface SocialPlatform<Client = unknown> {
  id: SocialPlatformId
  /** The connector whose connections this platform posts with (`x`, `linkedin`, `facebook` for Facebook and Instagram, …). */
  connector: string
  rules: PlatformRules
  pacing: PlatformPacing
  /**
   * How an unknown outcome is settled after a crash: `key` (the platform de-duplicates by
   * `idempotencyKey`: re-sending is safe) or `lookup` (look for the post with `lookup`; re-send only
   * when the platform says there is none).
   */
  settle: 'key' | 'lookup'
  /** The profiles, pages or organisations this connection may post as. */
  targets(client: Client, signal?: AbortSignal): Promise<SocialTarget[]>
  /** Checks beyond the shared rules (rarely needed; the shared rules run first). */
  validate?(draft: VariantDraft): RuleIssue[]
  /** Posts the variant (and its thread). Throws `PublishError` for every failure it can classify. */
  publish(client: Client, input: PublishInput): Promise<PublishedRef>
  /** Finds the post made for `input` since `input.claimedAt`, or `null` when the platform has none. */
  lookup(client: Client, input: PublishInput): Promise<PublishedRef | null>
  /** The post's current metrics. */
  metrics(client: Client, ref: PublishedRef, target: SocialTarget, signal?: AbortSignal): Promise<PostMetrics>
}

// biome-ignore lint/suspicious/noExplicitAny: registries hold platforms of any client
export type AnySocialPlatform = SocialPlatform<any>

/** Declares a platform (identity function with types; checks the rules belong to it). */
export function defineSocialPlatform<Client>(platform: SocialPlatform<Client>): SocialPlatform<Client> {
  if (platform.rules.platform !== platform.id)
    throw new Error(`Social platform "${platform.id}" was given the rules of "${platform.rules.platform}"`)
  return Object.freeze(platform)
}
