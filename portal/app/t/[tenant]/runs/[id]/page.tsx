import { CANCELLABLE_STATUSES, getRun } from '@lib/data/runs'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { CancelButton } from '@modules/runs/components/cancel-button'
import { RetryButton } from '@modules/runs/components/retry-button'
import { RunLive } from '@modules/runs/components/run-live'
import Link from 'next/link'
import { notFound } from 'next/navigation'

const KEY_SOURCES: Record<string, string> = { tenant: 'your own', platform: 'platform', offline: 'offline mock' }

export default async function RunPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant: tenantId, id } = await params
  const { tenant, role, data } = await requireTenantAndLoad(tenantId, (token, t) => getRun(token, t, id))
  const run = await data
  if (!run) notFound()
  return (
    <>
      <p>
        <Link href={`/t/${tenant.id}/runs`}>← Runs</Link>
      </p>
      <h1>
        {run.agent} <small>{run.runId}</small>
      </h1>
      <p>
        Model: {run.model ?? '—'} · Key: {KEY_SOURCES[run.keySource ?? ''] ?? '—'} · Started {run.startedAt ?? '—'} ·
        Finished {run.finishedAt ?? '—'}
      </p>
      {can(role, 'run') && CANCELLABLE_STATUSES.includes(run.status) && (
        <CancelButton tenant={tenant.id} id={String(run.id)} />
      )}
      {can(role, 'run') && ['failed', 'cancelled', 'rejected', 'succeeded'].includes(run.status) && (
        <RetryButton tenant={tenant.id} id={String(run.id)} />
      )}
      <RunLive
        id={run.id}
        initial={{
          status: run.status,
          costUsd: run.costUsd ?? 0,
          usage: run.usage,
          error: run.error,
          output: run.output,
          offline: run.offline ?? false,
        }}
      />
    </>
  )
}
