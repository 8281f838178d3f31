'use client'
/**
 * "Run agent" on the edit view of documents that agents target: lists the agents the document's tenant
 * has enabled, asks for any extra input, starts the run and follows it until it settles, then links to
 * the proposal to review (or says the change was applied).
 */
import { Button, Popup, PopupList, useConfig, useDocumentInfo, useLocale } from '@payloadcms/ui'
import type React from 'react'
import { useCallback, useEffect, useState } from 'react'
import { apiFetch, formatUsd, type Id, idOf, useApiBase } from './api.ts'
import { coerce, formFields, type ObjectSchema, SchemaFields } from './schema-form.tsx'
import { StatusBadge } from './status.tsx'
import { useRunEvents } from './use-run-events.ts'

interface Listing {
  slug: string
  label: string
  description: string
  approval: 'always' | 'never' | 'conditional'
  inputSchema: ObjectSchema
  targets: string[]
}

interface Started {
  id: Id
  label: string
}

export function RunAgentMenu(): React.ReactElement | null {
  const api = useApiBase()
  const { config } = useConfig()
  const { id, collectionSlug, data, initialData } = useDocumentInfo()
  const locale = useLocale()
  const tenant = idOf((data ?? initialData)?.tenant)
  const [agents, setAgents] = useState<Listing[] | null>(null)
  const [choice, setChoice] = useState<Listing | null>(null)
  const [values, setValues] = useState<Record<string, string | boolean>>({})
  const [started, setStarted] = useState<Started | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (id === undefined || id === null || !collectionSlug) return
    let live = true
    apiFetch<{ agents: Listing[]; can: { run: boolean } }>(
      api,
      `/agents${tenant !== undefined ? `?tenant=${encodeURIComponent(String(tenant))}` : ''}`,
    )
      // Roles that cannot run agents (clients) get no menu at all.
      .then((res) => live && setAgents(res.can.run ? res.agents.filter((a) => a.targets.includes(collectionSlug)) : []))
      .catch(() => live && setAgents([]))
    return () => {
      live = false
    }
  }, [api, id, collectionSlug, tenant])

  const start = useCallback(
    async (agent: Listing, extra: Record<string, string | boolean>) => {
      setBusy(true)
      setError(null)
      try {
        const input: Record<string, unknown> = { target: { collection: collectionSlug, id } }
        if (agent.inputSchema.properties?.locale && locale?.code) input.locale = locale.code
        for (const [name, prop] of formFields(agent.inputSchema)) {
          const value = extra[name] === undefined ? undefined : coerce(prop, extra[name]!)
          if (value !== undefined) input[name] = value
        }
        const res = await apiFetch<{ id: Id }>(api, `/agents/${agent.slug}/runs`, {
          method: 'POST',
          body: JSON.stringify({ input, ...(tenant !== undefined ? { tenant } : {}) }),
        })
        setStarted({ id: res.id, label: agent.label })
        setChoice(null)
        setValues({})
      } catch (e) {
        setError((e as Error).message)
      } finally {
        setBusy(false)
      }
    },
    [api, collectionSlug, id, locale?.code, tenant],
  )

  if (id === undefined || id === null || !agents || agents.length === 0) return null

  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 10 }} data-agents-menu="">
      {started ? <RunProgress api={api} adminRoute={config.routes.admin} started={started} /> : null}
      {error ? (
        <span role="alert" style={{ color: 'var(--theme-error-600)', maxWidth: 320 }}>
          {error}
        </span>
      ) : null}
      <Popup
        buttonType="custom"
        button={
          <Button
            buttonStyle="secondary"
            size="small"
            el="span"
            disabled={busy}
            icon={['chevron']}
            iconPosition="right"
          >
            Run agent
          </Button>
        }
        horizontalAlign="right"
        size="large"
        onToggleClose={() => setChoice(null)}
        render={({ close }) =>
          choice ? (
            <form
              style={{ padding: 12, minWidth: 280 }}
              onSubmit={(e) => {
                e.preventDefault()
                void start(choice, values).then(close)
              }}
            >
              <p style={{ marginTop: 0 }}>
                <strong>{choice.label}</strong> — {choice.description}
              </p>
              <SchemaFields
                idPrefix={`agent-${choice.slug}`}
                fields={formFields(choice.inputSchema)}
                values={values}
                onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
              />
              <Button type="submit" size="small" disabled={busy}>
                Run {choice.label}
              </Button>
            </form>
          ) : (
            <PopupList.ButtonGroup>
              {agents.map((agent) => (
                <PopupList.Button
                  key={agent.slug}
                  onClick={() => {
                    const needsInput = formFields(agent.inputSchema).some(([, , required]) => required)
                    if (needsInput) setChoice(agent)
                    else {
                      close()
                      void start(agent, {})
                    }
                  }}
                >
                  <span title={agent.description}>{agent.label}</span>
                </PopupList.Button>
              ))}
            </PopupList.ButtonGroup>
          )
        }
      />
    </div>
  )
}

/** The live state of the run just started, then where to go next. */
function RunProgress({ api, adminRoute, started }: { api: string; adminRoute: string; started: Started }) {
  const { run, steps, ended, error } = useRunEvents(api, started.id, true)
  const [approvalId, setApprovalId] = useState<Id | null>(null)
  const status = run?.status ?? 'queued'

  useEffect(() => {
    if (!ended || status !== 'awaiting-approval' || !run) return
    apiFetch<{ docs: Array<{ id: Id }> }>(
      api,
      `/approvals?where[runId][equals]=${encodeURIComponent(run.runId)}&limit=1&depth=0`,
    )
      .then((res) => setApprovalId(res.docs[0]?.id ?? null))
      .catch(() => setApprovalId(null))
  }, [api, ended, status, run])

  return (
    <span
      role="status"
      aria-live="polite"
      style={{ display: 'inline-flex', alignItems: 'center', gap: 8, whiteSpace: 'nowrap' }}
    >
      <span>{started.label}</span>
      <StatusBadge status={status} />
      {!ended ? <span style={{ color: 'var(--theme-elevation-500)' }}>{steps.length} steps</span> : null}
      {ended && run ? <span style={{ color: 'var(--theme-elevation-500)' }}>{formatUsd(run.costUsd)}</span> : null}
      {approvalId !== null ? <a href={`${adminRoute}/collections/approvals/${approvalId}`}>Review proposal →</a> : null}
      {ended && status === 'succeeded' ? (
        <Button buttonStyle="subtle" size="small" onClick={() => window.location.reload()}>
          Applied — reload
        </Button>
      ) : null}
      {ended && status === 'failed' ? (
        <span style={{ color: 'var(--theme-error-600)' }}>{run?.error?.message ?? 'The run failed'}</span>
      ) : null}
      {error ? <span style={{ color: 'var(--theme-error-600)' }}>{error}</span> : null}
      <a href={`${adminRoute}/collections/agent-runs/${started.id}`}>Run details</a>
    </span>
  )
}
