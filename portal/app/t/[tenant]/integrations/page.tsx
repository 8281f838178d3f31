import { listIntegrations } from '@lib/data/integrations'
import { requireTenant } from '@lib/session'
import { IntegrationForm } from '@modules/integrations/components/integration-form'
import { IntegrationRow } from '@modules/integrations/components/integration-row'

/** Tenant-admins only (others get a 404, as the page offers them nothing). */
export default async function IntegrationsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { session, tenant } = await requireTenant((await params).tenant, 'configure')
  const integrations = await listIntegrations(session.token, tenant.id)
  return (
    <>
      <h1>Integrations</h1>
      <p>Keys are stored encrypted in the vault; after saving, only their last four characters are shown.</p>
      <table data-integrations>
        <thead>
          <tr>
            <th>Name</th>
            <th>Provider</th>
            <th>Key</th>
            <th>Last test</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {integrations.map((i) => (
            <IntegrationRow key={i.id} tenant={tenant.id} integration={i} />
          ))}
        </tbody>
      </table>
      <IntegrationForm tenant={tenant.id} />
    </>
  )
}
