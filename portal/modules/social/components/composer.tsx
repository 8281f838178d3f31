'use client'
/**
 * The composer: accounts by platform, one shared text with a per-account override, thread parts where
 * the platform has threads, media, link + campaign, time. Each chosen account gets a preview with its
 * live character count and the rule check the server runs (`validateVariant` from the contract), so an
 * error is seen before saving; errors keep Submit and Approve disabled. A refusal from the server (rule
 * and platform named) is shown next to the variant it is about.
 */
import {
  countChars,
  type MediaInfo,
  PLATFORM_RULES,
  type RuleIssue,
  SOCIAL_PLATFORMS,
  type SocialPlatformId,
  socialUtm,
  validateVariant,
  withUtm,
} from '@bizosaas/contracts/social'
import type { SocialAccount, SocialMedia } from '@lib/data/social'
import { type SocialActionResult, savePost } from '@modules/social/actions'
import styles from '@modules/social/social.module.css'
import { useRouter } from 'next/navigation'
import { useState, useTransition } from 'react'

export interface ComposerInitial {
  id: string
  title: string
  scheduledAt: string | null
  campaign: string | null
  link: string | null
  media: string[]
  variants: { account: string; text: string; thread: string[] }[]
}

/** The link a variant gets: the post's link with the platform's UTM parameters; null when not a URL. */
function utmLink(link: string, campaign: string, platform: SocialPlatformId): string | null {
  if (!link) return null
  try {
    return withUtm(link, socialUtm(platform, campaign || 'social'))
  } catch {
    return null
  }
}

export function Composer({
  tenant,
  accounts,
  media,
  canReview,
  initial,
}: {
  tenant: string
  accounts: SocialAccount[]
  media: SocialMedia[]
  canReview: boolean
  initial?: ComposerInitial
}) {
  const router = useRouter()
  const [title, setTitle] = useState(initial?.title ?? '')
  const [link, setLink] = useState(initial?.link ?? '')
  const [campaign, setCampaign] = useState(initial?.campaign ?? '')
  const [when, setWhen] = useState(initial?.scheduledAt?.slice(0, 16) ?? '')
  const [chosenMedia, setChosenMedia] = useState<string[]>(initial?.media ?? [])
  const first = initial?.variants[0]
  const [shared, setShared] = useState(first?.text ?? '')
  const [selected, setSelected] = useState<string[]>(initial?.variants.map((v) => v.account) ?? [])
  const [overrides, setOverrides] = useState<Record<string, string>>(() =>
    Object.fromEntries((initial?.variants ?? []).filter((v) => v.text !== first?.text).map((v) => [v.account, v.text])),
  )
  const [threads, setThreads] = useState<Record<string, string[]>>(() =>
    Object.fromEntries((initial?.variants ?? []).filter((v) => v.thread.length).map((v) => [v.account, v.thread])),
  )
  const [result, setResult] = useState<SocialActionResult>({})
  const [pending, start] = useTransition()

  const mediaInfo: MediaInfo[] = chosenMedia.flatMap((id) => {
    const m = media.find((x) => x.id === id)
    return m ? [{ mimeType: m.mimeType, filesize: m.filesize, alt: m.alt, filename: m.filename }] : []
  })

  // Recomputed on every keystroke: the rule check is a few string passes per account.
  const variants = selected.flatMap((id) => {
    const account = accounts.find((a) => a.id === id)
    if (!account) return []
    const text = overrides[id] ?? shared
    const thread = threads[id] ?? []
    const issues = validateVariant({ text, thread, media: mediaInfo }, account.platform)
    return [{ account, text, thread, issues }]
  })
  const hasErrors = variants.some((v) => v.issues.some((i) => i.severity === 'error'))

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]))

  const save = (intent: 'draft' | 'submit' | 'schedule') =>
    start(async () => {
      const res = await savePost(
        tenant,
        {
          title,
          scheduledAt: when ? `${when}:00.000Z` : undefined,
          campaign,
          link,
          media: chosenMedia,
          variants: variants.map((v) => ({
            account: v.account.id,
            text: v.text,
            thread: v.thread.length ? v.thread : undefined,
            media: chosenMedia,
          })),
        },
        intent,
        initial?.id,
      )
      setResult(res)
      if (res.ok) router.push(res.id ? `/t/${tenant}/social/posts/${res.id}` : `/t/${tenant}/social`)
    })

  const serverIssuesFor = (account: SocialAccount) =>
    (result.issues ?? []).filter((i) =>
      i.account ? String(i.account) === account.id : i.platform === account.platform,
    )

  const byPlatform = SOCIAL_PLATFORMS.map((p) => [p, accounts.filter((a) => a.platform === p)] as const).filter(
    ([, list]) => list.length,
  )

  return (
    <div className={styles.compose} data-composer>
      <div>
        <label>
          Title (for the calendar)
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
        </label>
        <fieldset>
          <legend>Accounts</legend>
          {byPlatform.length === 0 && (
            <p className="note">No social accounts yet: add one on the Accounts page first.</p>
          )}
          {byPlatform.map(([platform, list]) => (
            <div key={platform} data-platform-group={platform}>
              <strong>{PLATFORM_RULES[platform].name}</strong>
              {list.map((a) => (
                <label key={a.id} className={styles.choice}>
                  <input type="checkbox" checked={selected.includes(a.id)} onChange={() => toggle(a.id)} /> {a.name}
                  {a.handle ? ` (${a.handle})` : ''}
                  {a.connection && a.connection.status !== 'connected' && (
                    <span className="pill" data-status="needs-reconnect">
                      needs reconnecting
                    </span>
                  )}
                </label>
              ))}
            </div>
          ))}
        </fieldset>
        <label>
          Text (shared by every account unless overridden)
          <textarea rows={6} value={shared} onChange={(e) => setShared(e.target.value)} />
        </label>
        <fieldset>
          <legend>Media</legend>
          {media.length === 0 && <p className="note">No media in this tenant yet (upload in the CMS).</p>}
          {media.map((m) => (
            <label key={m.id} className={styles.choice}>
              <input
                type="checkbox"
                checked={chosenMedia.includes(m.id)}
                onChange={() => setChosenMedia((c) => (c.includes(m.id) ? c.filter((x) => x !== m.id) : [...c, m.id]))}
              />{' '}
              {m.filename} {m.alt ? `— ${m.alt}` : ''}
            </label>
          ))}
        </fieldset>
        <label>
          Link (a page, product or blog post)
          <input type="url" value={link} onChange={(e) => setLink(e.target.value)} placeholder="https://" />
        </label>
        <label>
          Campaign (UTM)
          <input value={campaign} onChange={(e) => setCampaign(e.target.value)} maxLength={100} />
        </label>
        <label>
          Publish at (UTC)
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        </label>
        <div className={styles.inline}>
          <button type="button" className="secondary" disabled={pending} onClick={() => save('draft')}>
            Save draft
          </button>
          <button type="button" disabled={pending || hasErrors || !variants.length} onClick={() => save('submit')}>
            Submit for approval
          </button>
          {canReview && (
            <button type="button" disabled={pending || hasErrors || !variants.length} onClick={() => save('schedule')}>
              Approve &amp; schedule
            </button>
          )}
        </div>
        {hasErrors && (
          <p className="note" data-blocked>
            Fix the errors in the previews before submitting.
          </p>
        )}
        {result.error && (
          <p className="error" role="alert" data-composer-error>
            {result.error}
          </p>
        )}
      </div>
      <section aria-label="Previews">
        {variants.length === 0 && <p className="note">Choose accounts to see each platform’s preview.</p>}
        {variants.map(({ account, text, thread, issues }) => (
          <VariantPreview
            key={account.id}
            account={account}
            text={text}
            thread={thread}
            issues={issues}
            serverIssues={serverIssuesFor(account)}
            overridden={overrides[account.id] !== undefined}
            link={utmLink(link, campaign, account.platform)}
            onText={(t) => setOverrides((o) => ({ ...o, [account.id]: t }))}
            onReset={() =>
              setOverrides((o) => {
                const { [account.id]: _, ...rest } = o
                return rest
              })
            }
            onThread={(parts) => setThreads((t) => ({ ...t, [account.id]: parts }))}
          />
        ))}
      </section>
    </div>
  )
}

function VariantPreview({
  account,
  text,
  thread,
  issues,
  serverIssues,
  overridden,
  link,
  onText,
  onReset,
  onThread,
}: {
  account: SocialAccount
  text: string
  thread: string[]
  issues: RuleIssue[]
  serverIssues: NonNullable<SocialActionResult['issues']>
  overridden: boolean
  link: string | null
  onText(text: string): void
  onReset(): void
  onThread(parts: string[]): void
}) {
  const rules = PLATFORM_RULES[account.platform]
  const parts = [text, ...thread]
  return (
    <section className={styles.preview} data-preview={account.platform} data-account={account.id}>
      <strong>
        {rules.name} · {account.name}
      </strong>
      {parts.map((part, i) => {
        const count = countChars(part, account.platform)
        return (
          <div key={i === 0 ? 'first' : `part-${i}`}>
            {i > 0 && <div className={styles.muted}>Part {i + 1}</div>}
            <div>{part || <span className={styles.muted}>(empty)</span>}</div>
            <div className={styles.count} data-count data-over={count > rules.maxChars}>
              {count}/{rules.maxChars}
            </div>
          </div>
        )
      })}
      {link && (
        <div className={styles.muted} data-link>
          {link}
        </div>
      )}
      <ul data-issues>
        {issues.map((i) => (
          <li key={`${i.rule}-${i.part ?? ''}-${i.media ?? ''}`} className={i.severity === 'error' ? 'error' : 'note'}>
            {i.severity === 'error' ? 'Error: ' : 'Warning: '}
            {i.message}
          </li>
        ))}
        {serverIssues.map((i) => (
          <li key={`server-${i.rule}-${i.message}`} className="error" role="alert">
            {i.message}
          </li>
        ))}
      </ul>
      <details>
        <summary>Edit for {rules.name} only</summary>
        <label>
          Text for {account.name}
          <textarea rows={4} value={text} onChange={(e) => onText(e.target.value)} />
        </label>
        {overridden && (
          <button type="button" className="secondary" onClick={onReset}>
            Use the shared text
          </button>
        )}
        {rules.maxThreadParts > 1 && (
          <div>
            {thread.map((part, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a part is its position (parts are added and removed at the end only)
              <label key={`thread-${i}`}>
                Thread part {i + 2}
                <textarea
                  rows={3}
                  value={part}
                  onChange={(e) => onThread(thread.map((p, j) => (j === i ? e.target.value : p)))}
                />
              </label>
            ))}
            {thread.length + 1 < rules.maxThreadParts && (
              <button type="button" className="secondary" onClick={() => onThread([...thread, ''])}>
                Add a thread part
              </button>
            )}
            {thread.length > 0 && (
              <button type="button" className="secondary" onClick={() => onThread(thread.slice(0, -1))}>
                Remove the last part
              </button>
            )}
          </div>
        )}
      </details>
    </section>
  )
}
