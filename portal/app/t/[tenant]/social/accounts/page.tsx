import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import { listAccountTargets, listSocialAccounts } from '@lib/data/social'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { AddAccount } from '@modules/social/components/add-account'
import styles from '@modules/social/social.module.css'
import Link from 'next/link'

/**
 * The accounts posts go out from: each with its connection's status (and a way to reconnect), and, for
 * tenant-admins, each social connection's profiles and pages to add as an account.
 */
export default async function SocialAccountsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant, role, session, data } = await requireTenantAndLoad((await params).tenant, (token, id) =>
    listSocialAccounts(token, id),
  )
  const admin = can(role, 'configure')
  const [accounts, targets] = await Promise.all([
    data,
    admin ? listAccountTargets(session.token, tenant.id) : Promise.resolve([]),
  ])
  const integrations = `/t/${tenant.id}/integrations`
  return (
    <>
      <p>
        <Link href={`/t/${tenant.id}/social`}>← Calendar</Link>
      </p>
      <h1>Social accounts</h1>
      {accounts.length === 0 ? (
        <p className="note">No accounts yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Platform</th>
              <th>Account</th>
              <th>Connection</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-social-account={a.id}>
                <td>{PLATFORM_RULES[a.platform].name}</td>
                <td>
                  {a.url ? <a href={a.url}>{a.name}</a> : a.name}
                  {a.handle && <span className={styles.muted}> {a.handle}</span>}
                  {!a.active && <span className={styles.muted}> (inactive)</span>}
                </td>
                <td>
                  <span className="pill" data-status={a.connection?.status ?? 'error'}>
                    {a.connection?.status === 'connected'
                      ? 'Connected'
                      : a.connection
                        ? 'Needs reconnecting'
                        : 'No connection'}
                  </span>
                  {a.connection?.status !== 'connected' && (
                    <>
                      {' '}
                      <Link href={integrations}>Reconnect on Integrations</Link>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && (
        <>
          <h2>Add an account</h2>
          <p className="note">
            Connect X, LinkedIn, Facebook/Instagram, Bluesky or Mastodon on{' '}
            <Link href={integrations}>Integrations</Link>, then choose here the profile or page to post as.
          </p>
          {'error' in targets ? (
            <p className="error" role="alert">
              {targets.error}
            </p>
          ) : (
            <>
              {targets.length === 0 && <p className="note">No social connection yet.</p>}
              {targets.map((row) => (
                <fieldset key={row.connection.id} data-connection={row.connection.id}>
                  <legend>{row.connection.name}</legend>
                  {row.error ? (
                    <p className="error">{row.error}</p>
                  ) : row.targets.some((t) => !t.account) ? (
                    <AddAccount tenant={tenant.id} row={row} />
                  ) : (
                    <p className="note">Every profile and page of this connection is added already.</p>
                  )}
                </fieldset>
              ))}
            </>
          )}
        </>
      )}
    </>
  )
}
