/** `GET /api/agent-runs/:id/events`: server-sent events with a run's progress, then its final state. */
import type { Endpoint } from 'payload'
import { FINAL_RUN_STATUSES, RUN_STATUS, type RunRowStatus } from '../constants.ts'
import { AgentsError } from '../errors.ts'
import type { RunRow } from '../store/state.ts'
import { handle } from './http.ts'
import { requireUser } from './tenant.ts'

const POLL_MS = 400
const HEARTBEAT_MS = 15_000
/** Every stream ends: a client that wants more reconnects. */
const MAX_STREAM_MS = 10 * 60_000

const snapshot = (run: RunRow & Record<string, unknown>) => ({
  id: run.id,
  runId: run.runId,
  agent: run.agent,
  status: run.status,
  output: run.output ?? null,
  error: run.error ?? null,
  usage: run.usage ?? null,
  costUsd: run.costUsd ?? 0,
  offline: run.offline ?? false,
  startedAt: run.startedAt ?? null,
  finishedAt: run.finishedAt ?? null,
})

const settled = (status: string) =>
  FINAL_RUN_STATUSES.includes(status as RunRowStatus) || status === RUN_STATUS.awaitingApproval

export const runEventsEndpoint: Endpoint = {
  path: '/:id/events',
  method: 'get',
  handler: handle(async (req) => {
    requireUser(req)
    const { payload } = req
    const id = String(req.routeParams?.id ?? '')
    // Visibility is the caller's: another tenant's run is "not found".
    const first = (await payload.findByID({
      collection: 'agent-runs' as never,
      id,
      depth: 0,
      overrideAccess: false,
      req,
      user: req.user,
      disableErrors: true,
    })) as unknown as (RunRow & Record<string, unknown>) | null
    if (!first) throw new AgentsError(404, `No agent run ${id}`)

    const encoder = new TextEncoder()
    const signal = req.signal
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (event: string, data: unknown) =>
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`))
        const started = Date.now()
        let lastSeq = 0
        let lastStatus = ''
        let lastBeat = Date.now()
        try {
          while (!signal?.aborted) {
            const run = (await payload.findByID({
              collection: 'agent-runs' as never,
              id,
              depth: 0,
              overrideAccess: true,
            })) as unknown as RunRow & Record<string, unknown>
            const steps = await payload.find({
              collection: 'agent-steps' as never,
              where: { and: [{ runId: { equals: run.runId } }, { seq: { greater_than: lastSeq } }] },
              sort: 'seq',
              limit: 200,
              depth: 0,
              overrideAccess: true,
            })
            for (const step of steps.docs as unknown as { seq: number; kind: string; data?: unknown }[]) {
              lastSeq = step.seq
              // `step` rows carry whole conversations; the stream sends what a viewer needs.
              const { data, ...rest } = step as Record<string, unknown>
              send('step', step.kind === 'step' ? rest : { ...rest, data })
            }
            if (run.status !== lastStatus) {
              lastStatus = run.status
              send('run', snapshot(run))
            }
            if (settled(run.status)) {
              send('end', snapshot(run))
              break
            }
            if (Date.now() - started > MAX_STREAM_MS) {
              send('timeout', { message: 'stream closed after 10 minutes; reconnect to keep following the run' })
              break
            }
            if (Date.now() - lastBeat > HEARTBEAT_MS) {
              controller.enqueue(encoder.encode(': keep-alive\n\n'))
              lastBeat = Date.now()
            }
            await new Promise((r) => setTimeout(r, POLL_MS))
          }
        } catch (error) {
          send('error', { message: error instanceof Error ? error.message : 'stream failed' })
        } finally {
          controller.close()
        }
      },
    })
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    })
  }),
}
