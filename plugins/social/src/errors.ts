/**
 * `SocialError`: a refusal of the social service with an HTTP status and, for a post that breaks rules,
 * every issue found (rule, platform, message) — the endpoints answer it as JSON, the portal shows each.
 */
import type { RuleIssue, RuleName, SocialPlatformId } from '@bizosaas/contracts/social'
import { HttpError } from '@bizosaas/plugin-connectors'

/**
 * A problem with one variant: a platform rule (`RuleIssue`), or one of the service's own checks —
 * `account` (missing, inactive, another tenant's), `connection` (not connected), `scheduled-at` (in the
 * past, or missing when scheduling), `media-missing` (not in the tenant's media), `link` (not a URL).
 */
export interface SocialIssue extends Omit<RuleIssue, 'rule' | 'platform'> {
  rule: RuleName | 'account' | 'connection' | 'scheduled-at' | 'media-missing'
  platform?: SocialPlatformId
  /** The `social-accounts` id the issue is about. */
  account?: string
}

/**
 * A refusal a person can act on: 4xx, the message names the rule and the platform. An `HttpError` of the
 * connectors' endpoint plumbing, so an endpoint answers it as JSON with its `issues`.
 */
export class SocialError extends HttpError {
  override name = 'SocialError'
  constructor(
    status: number,
    message: string,
    readonly issues?: SocialIssue[],
  ) {
    super(status, message, issues ? { issues } : undefined)
  }
}
