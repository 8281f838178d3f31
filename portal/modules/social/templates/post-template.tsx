/**
 * One post: its state, time, link and campaign, what can be done with it, and each variant — its state,
 * its link once published, its error in words when failed, the check / confirm / republish way out
 * when unconfirmed — and metrics per variant.
 */
import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import type { SocialPost } from '@lib/data/social'
import { MetricsChart } from '@modules/social/components/metrics-charts'
import { PostActions } from '@modules/social/components/post-actions'
import { VariantActions } from '@modules/social/components/variant-actions'
import styles from '@modules/social/social.module.css'
import { STATUS_COLOUR, STATUS_LABEL, whenOf } from '@modules/social/status'
import Link from 'next/link'

export function PostTemplate({
  tenant,
  post,
  canAct,
  canReview,
}: {
  tenant: string
  post: SocialPost
  canAct: boolean
  canReview: boolean
}) {
  const published = post.variants.filter((v) => v.status === 'published')
  return (
    <>
      <p>
        <Link
          href={`/t/${tenant}/social?view=week&date=${(post.scheduledAt ?? new Date().toISOString()).slice(0, 10)}`}
        >
          ← Calendar
        </Link>
      </p>
      <h1>{post.title}</h1>
      <p>
        <span className="pill" data-post-status={post.status} style={{ background: STATUS_COLOUR[post.status] }}>
          {STATUS_LABEL[post.status]}
        </span>{' '}
        <span data-scheduled-at={post.scheduledAt ?? ''}>{whenOf(post.scheduledAt)}</span>
        {post.campaign && <> · campaign {post.campaign}</>}
        {post.origin.agent && <> · drafted by {post.origin.agent}</>}
      </p>
      {post.link && (
        <p className="note">
          Links to <a href={post.link}>{post.link}</a>
        </p>
      )}
      {post.rejectionNote && post.status === 'draft' && (
        <p className="error" data-rejection-note>
          Sent back: {post.rejectionNote}
        </p>
      )}
      <PostActions tenant={tenant} id={post.id} status={post.status} canAct={canAct} canReview={canReview} />
      <h2>Variants</h2>
      <table>
        <thead>
          <tr>
            <th>Account</th>
            <th>Text</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {post.variants.map((v) => (
            <tr key={v.id} data-variant={v.id} data-platform={v.platform}>
              <td>
                <strong>{PLATFORM_RULES[v.platform].name}</strong>
                <br />
                {v.account?.name ?? `account ${v.accountId}`}
              </td>
              <td style={{ whiteSpace: 'pre-wrap' }}>
                {v.text}
                {v.thread.map((part, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a thread part is its position
                  <div key={i} className={styles.muted}>
                    {i + 2}. {part}
                  </div>
                ))}
              </td>
              <td>
                <span className="pill" data-status={v.status} style={{ background: STATUS_COLOUR[v.status] }}>
                  {STATUS_LABEL[v.status]}
                </span>
                {v.status === 'published' && v.platformUrl && (
                  <div>
                    <a href={v.platformUrl} data-platform-url>
                      See it on {PLATFORM_RULES[v.platform].name}
                    </a>
                  </div>
                )}
                {v.error && (v.status === 'failed' || v.status === 'unconfirmed') && (
                  <p className="error" data-variant-error>
                    {v.error}
                  </p>
                )}
                {(v.status === 'unconfirmed' || v.status === 'failed') && canAct && (
                  <VariantActions
                    tenant={tenant}
                    variant={v.id}
                    platform={PLATFORM_RULES[v.platform].name}
                    status={v.status}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {published.length > 0 && (
        <MetricsChart
          chart="post"
          title="Results per variant"
          rows={published.map((v) => ({
            name: `${PLATFORM_RULES[v.platform].name} · ${v.account?.name ?? ''}`,
            ...v.metrics,
          }))}
        />
      )}
    </>
  )
}
