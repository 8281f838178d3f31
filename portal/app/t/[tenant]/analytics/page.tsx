import { runFigures } from '@lib/data/dashboard'
import { portalEnv } from '@lib/env'
import { dashboardEmbedUrl } from '@lib/metabase'
import { requireTenant } from '@lib/session'
import { RunsChart } from '@modules/dashboard/components/charts'

/** Metabase (static embedding, the tenant locked in a signed token) when configured; built-in charts otherwise. */
export default async function AnalyticsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { session, tenant } = await requireTenant((await params).tenant)
  const env = portalEnv()
  if (env.METABASE_SITE_URL && env.METABASE_SECRET_KEY) {
    const src = await dashboardEmbedUrl({
      siteUrl: env.METABASE_SITE_URL,
      secretKey: env.METABASE_SECRET_KEY,
      dashboard: env.METABASE_DASHBOARD_ID,
      tenant: tenant.id,
    })
    return (
      <>
        <h1>Analytics</h1>
        <iframe
          title="Metabase dashboard"
          src={src}
          style={{ width: '100%', height: '80vh', border: 0 }}
          data-metabase
        />
      </>
    )
  }
  const runs = await runFigures(session.token, tenant.id)
  return (
    <>
      <h1>Analytics</h1>
      <p className="note" data-metabase-note>
        Built-in charts. To embed Metabase, set METABASE_SITE_URL and METABASE_SECRET_KEY (and METABASE_DASHBOARD_ID)
        for the portal, and give the dashboard a locked “tenant” parameter.
      </p>
      <RunsChart days={runs.days} />
    </>
  )
}
