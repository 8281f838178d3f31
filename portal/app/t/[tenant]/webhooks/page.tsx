import { listWebhookDeliveries, listWebhookEndpoints } from '@lib/data/webhooks'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { AutoRefresh } from '@modules/layout/components/auto-refresh'
import { DeliveriesTable } from '@modules/webhooks/components/deliveries-table'
import { EndpointForm } from '@modules/webhooks/components/endpoint-form'
import { EndpointRow } from '@modules/webhooks/components/endpoint-row'

/** Managers read the endpoints and the delivery log; tenant-admins change them; clients are told whom to ask. */
export default async function WebhooksPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant, role, data } = await requireTenantAndLoad((await params).tenant, (token, id) =>
    Promise.all([listWebhookEndpoints(token, id), listWebhookDeliveries(token, id)]),
  )
  if (!can(role, 'review'))
    return (
      <>
        <h1>Webhooks</h1>
        <p>Webhooks are managed by your tenant admins; ask one of them to add or change one.</p>
      </>
    )
  const [endpoints, deliveries] = await data
  const canChange = can(role, 'configure')
  return (
    <>
      <h1>Webhooks</h1>
      <p>
        Events are POSTed to your URLs, signed by the Standard Webhooks scheme (<code>webhook-id</code>,{' '}
        <code>webhook-timestamp</code>, <code>webhook-signature</code>) and retried for about a day when your receiver
        fails. The same <code>webhook-id</code> comes with every retry: use it to ignore duplicates.
      </p>
      <table data-webhook-endpoints>
        <thead>
          <tr>
            <th>URL</th>
            <th>Events</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => (
            <EndpointRow key={e.id} tenant={tenant.id} endpoint={e} canChange={canChange} />
          ))}
        </tbody>
      </table>
      {!endpoints.length && <p>No endpoints yet.</p>}
      {canChange && <EndpointForm tenant={tenant.id} />}
      <h2>Deliveries</h2>
      <DeliveriesTable tenant={tenant.id} deliveries={deliveries} endpoints={endpoints} canChange={canChange} />
      <AutoRefresh />
    </>
  )
}
