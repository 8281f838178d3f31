import { agentCatalogue } from '@lib/data/agents'
import { can } from '@lib/roles'
import { requireTenant } from '@lib/session'
import { RunNowForm } from '@modules/agents/components/run-now-form'
import { SettingsForm } from '@modules/agents/components/settings-form'

export default async function AgentsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { session, tenant, role } = await requireTenant((await params).tenant)
  const catalogue = await agentCatalogue(session.token, tenant.id)
  if (!catalogue) return <p className="error">The agent catalogue could not be loaded from the CMS.</p>
  return (
    <>
      <h1>Agents</h1>
      {!can(role, 'configure') && <p className="note">Only a tenant admin changes agent settings.</p>}
      {catalogue.agents.map((a) => (
        <section key={a.slug} className="card" style={{ marginBottom: '1rem' }} data-agent={a.slug}>
          <h2>
            {a.label} {!a.enabled && <span className="pill">disabled</span>}
          </h2>
          {a.description && <p>{a.description}</p>}
          <div className="grid2">
            <SettingsForm
              tenant={tenant.id}
              agent={a.slug}
              enabled={a.enabled}
              settings={a.settings}
              schedulable={a.schedulable}
              defaultCron={a.defaultCron}
              editable={can(role, 'configure')}
            />
            {a.enabled && can(role, 'run') && (
              <div>
                <h3>Run now</h3>
                <RunNowForm tenant={tenant.id} agent={a.slug} schema={a.inputSchema} />
              </div>
            )}
          </div>
        </section>
      ))}
    </>
  )
}
