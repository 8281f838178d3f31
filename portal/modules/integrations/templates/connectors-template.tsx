/**
 * The connectors page: the catalogue grouped by category; per connector the tenant's connections
 * (status, account, last checked, last error, agents using it) and, for tenant-admins, the controls to
 * connect, reconnect, test and disconnect, and the tenant's own OAuth app. Others read statuses only.
 */
import type { Catalogue, CatalogueConnection, CatalogueConnector, ConnectionStatus } from '@lib/data/connectors'
import { ConnectButton } from '@modules/integrations/components/connect-button'
import { ConnectionActions } from '@modules/integrations/components/connection-actions'
import { CredentialsForm } from '@modules/integrations/components/credentials-form'
import { OwnAppForm } from '@modules/integrations/components/own-app-form'

const CATEGORIES: Record<string, string> = {
  ai: 'AI models',
  email: 'Email',
  analytics: 'Analytics',
  social: 'Social',
  crm: 'CRM',
  automation: 'Automation',
  other: 'Other',
}

const STATUS: Record<ConnectionStatus, string> = {
  connected: 'Connected',
  'needs-reconnect': 'Needs reconnect',
  error: 'Error',
}

const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16).concat(' UTC') : 'never'

interface Props {
  tenant: string
  catalogue: Catalogue
  ownApps: Record<string, { clientId: string; secretHint: string | null }>
  redirectUri: string
}

export function ConnectorsTemplate({ tenant, catalogue, ownApps, redirectUri }: Props) {
  const groups = new Map<string, CatalogueConnector[]>()
  for (const c of catalogue.connectors) groups.set(c.category, [...(groups.get(c.category) ?? []), c])
  const order = Object.keys(CATEGORIES)
  const categories = [...groups.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b))
  if (!catalogue.connectors.length) return <p className="note">No connectors are installed.</p>
  return (
    <>
      {categories.map((category) => (
        <section key={category} data-category={category}>
          <h2>{CATEGORIES[category] ?? category}</h2>
          {groups.get(category)!.map((connector) => (
            <ConnectorCard
              key={connector.id}
              tenant={tenant}
              connector={connector}
              connections={catalogue.connections.filter((c) => c.connector === connector.id)}
              canManage={catalogue.canManage}
              ownApp={ownApps[connector.id] ?? null}
              redirectUri={redirectUri}
            />
          ))}
        </section>
      ))}
    </>
  )
}

function ConnectorCard({
  tenant,
  connector,
  connections,
  canManage,
  ownApp,
  redirectUri,
}: {
  tenant: string
  connector: CatalogueConnector
  connections: CatalogueConnection[]
  canManage: boolean
  ownApp: { clientId: string; secretHint: string | null } | null
  redirectUri: string
}) {
  const auth = connector.auth
  const consent = auth.type === 'oauth2' && auth.grant === 'authorization_code' ? auth : null
  const appMissing = consent && !consent.platformApp && !ownApp
  return (
    <article className="card" data-connector={connector.id}>
      <h3>{connector.name}</h3>
      <p>
        {connector.description}{' '}
        {connector.docsUrl && (
          <a href={connector.docsUrl} rel="noreferrer" target="_blank">
            Docs
          </a>
        )}
      </p>
      {connector.agents.length > 0 && (
        <p className="note" data-used-by>
          Used by agents: {connector.agents.map((a) => a.label).join(', ')}
        </p>
      )}
      {connections.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Connection</th>
              <th>Status</th>
              <th>Account</th>
              <th>Last checked</th>
              <th>Last error</th>
              <th>Agents</th>
              {canManage && <th />}
            </tr>
          </thead>
          <tbody>
            {connections.map((c) => (
              <tr key={c.id} data-connection={c.id}>
                <td>{c.name}</td>
                <td>
                  <span className="pill" data-status={c.status}>
                    {STATUS[c.status] ?? c.status}
                  </span>
                </td>
                <td data-account>{c.account ?? '—'}</td>
                <td>{when(c.checkedAt)}</td>
                <td className={c.lastError ? 'error' : undefined}>{c.lastError ?? '—'}</td>
                <td>{c.agents.length ? c.agents.map((a) => a.label).join(', ') : '—'}</td>
                {canManage && (
                  <td>
                    {consent && (
                      <ConnectButton
                        tenant={tenant}
                        connector={connector.id}
                        connection={c.id}
                        label={c.status === 'connected' ? 'Reconnect' : 'Reconnect now'}
                      />
                    )}{' '}
                    <ConnectionActions tenant={tenant} id={c.id} name={c.name} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="note">Not connected.</p>
      )}
      {canManage && consent && (
        <>
          {appMissing ? (
            <p className="note">Enter your own OAuth app below to connect {connector.name}.</p>
          ) : (
            <ConnectButton
              tenant={tenant}
              connector={connector.id}
              label={connections.length ? 'Connect another account' : 'Connect'}
            />
          )}
          {consent.app !== 'platform' && (
            <OwnAppForm tenant={tenant} connector={connector.id} current={ownApp} redirectUri={redirectUri} />
          )}
        </>
      )}
      {canManage && !consent && 'fields' in auth && (
        <details open={connections.length === 0}>
          <summary>{connections.length ? 'Connect another account' : 'Connect'}</summary>
          <CredentialsForm tenant={tenant} connector={connector.id} name={connector.name} fields={auth.fields} />
        </details>
      )}
    </article>
  )
}
