/**
 * Social publishing: what the social plugin (server) and the portal (composer previews) agree on — the
 * platforms, each one's posting rules, how text is counted, the rule check both run, the states a post
 * and its variants go through, and UTM links. Pure functions, no dependencies: the portal runs the same
 * check live that the server runs at save and at approval.
 */

export type SocialPlatformId = 'x' | 'linkedin' | 'facebook' | 'instagram' | 'bluesky' | 'mastodon'

export declare const SOCIAL_PLATFORMS: readonly SocialPlatformId[]

export interface MediaRules {
  /** Most attachments on one post (or on each part of a thread). */
  maxCount: number
  /** Whether a post needs at least one (Instagram). */
  required: boolean
  /** Accepted MIME types. */
  types: readonly string[]
  /** Largest image in bytes. */
  maxImageBytes: number
  /** Largest video in bytes (0: no video). */
  maxVideoBytes: number
  /** Longest alt text in characters (0: the platform takes none). */
  altTextMax: number
}

export interface PlatformRules {
  platform: SocialPlatformId
  /** As people know it: "X", "LinkedIn", "Facebook", "Instagram", "Bluesky", "Mastodon". */
  name: string
  /** Longest text of one post (one part of a thread), counted as `counting` says. */
  maxChars: number
  /**
   * How the platform counts: `graphemes` (what a person sees as one character; Bluesky), `code-points`,
   * or `weighted` (X: CJK and emoji count 2). Links count `linkLength` when set (X, Mastodon: 23).
   */
  counting: 'graphemes' | 'code-points' | 'weighted'
  /** What one link counts, when the platform shortens links; unset: the link's own length. */
  linkLength?: number
  /** Whether a link in the text is clickable (Instagram captions: no). */
  clickableLinks: boolean
  media: MediaRules
  /** Most parts of a thread (1: no threads; the first part counts). */
  maxThreadParts: number
  /** Most hashtags, where the platform limits them (Instagram: 30). */
  maxHashtags?: number
}

export declare const PLATFORM_RULES: Readonly<Record<SocialPlatformId, PlatformRules>>

/** The characters `text` uses on `platform`, counted the platform's way. */
export declare function countChars(text: string, platform: SocialPlatformId): number

/** One attachment as the rule check sees it. */
export interface MediaInfo {
  mimeType: string
  /** Bytes. */
  filesize: number
  alt?: string | null
  filename?: string
}

/** A variant as the rule check sees it: the first part's text, its media, the thread's following parts. */
export interface VariantDraft {
  text: string
  media?: readonly MediaInfo[]
  /** The parts after the first, in order (a thread); empty or absent: a single post. */
  thread?: readonly string[]
}

export type RuleName =
  | 'empty'
  | 'max-chars'
  | 'media-required'
  | 'media-count'
  | 'media-type'
  | 'media-size'
  | 'alt-text'
  | 'thread'
  | 'hashtags'
  | 'link'

export interface RuleIssue {
  rule: RuleName
  platform: SocialPlatformId
  /** `error` refuses the variant at save and at approval; `warning` is shown and allowed. */
  severity: 'error' | 'warning'
  /** Names the platform and the rule: "X allows 280 characters per post; part 2 has 301." */
  message: string
  /** 0 for the first part, n for the n-th thread part, when the issue is about one part. */
  part?: number
  /** The media index, when the issue is about one attachment. */
  media?: number
}

/** Every rule `draft` breaks on `platform`, errors first; `[]` when it may be published as it is. */
export declare function validateVariant(draft: VariantDraft, platform: SocialPlatformId): RuleIssue[]

/** The states of a variant (one message on one account), in order. */
export declare const VARIANT_STATUS: Readonly<{
  draft: 'draft'
  awaitingApproval: 'awaiting-approval'
  scheduled: 'scheduled'
  publishing: 'publishing'
  published: 'published'
  failed: 'failed'
  unconfirmed: 'unconfirmed'
}>
export type VariantStatus = (typeof VARIANT_STATUS)[keyof typeof VARIANT_STATUS]
export declare const VARIANT_STATUSES: readonly VariantStatus[]

/**
 * A post's status, from its variants once publishing starts: `unconfirmed` when any variant is,
 * else `publishing` while any is, else `published` when every variant is, else `failed` (some may
 * have been published: the variants say which).
 */
export declare function postStatusOf(variants: readonly { status: VariantStatus }[]): VariantStatus

export interface UtmParams {
  source: string
  medium: string
  campaign: string
  content?: string
  term?: string
}

/**
 * `url` with the UTM parameters set (replacing any it had), other query parameters and the fragment
 * kept. Throws a TypeError for a URL that is not absolute http(s).
 */
export declare function withUtm(url: string, utm: UtmParams): string

/** The UTM parameters a variant's link gets: source = platform, medium = `social`, campaign = the post's. */
export declare function socialUtm(platform: SocialPlatformId, campaign: string, content?: string): UtmParams
