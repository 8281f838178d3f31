/**
 * Bulk `startRuns` on the real CMS (PostgreSQL, pg-boss): one multi-row insert of run rows and one pg-boss
 * insert per agent, with the checks, de-duplication and budgets of a single start, item by item.
 */
import { defineAgent } from '@bizosaas/agents'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import type { Config, Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { pluginConfigOf } from '../config.ts'
import type { AgentsError } from '../errors.ts'
import { poolOf } from '../store/db.ts'
import { agentQueueOf } from '../store/queue.ts'
import type { Id } from '../types.ts'
import { registerAgents } from './register.ts'
import { type StartRunArgs, startRun, startRuns } from './start.ts'

const noteAgent = defineAgent({
  slug: 'bulk-note',
  description: 'Writes a note about a post (test agent)',
  input: z.object({
    target: z.object({ collection: z.literal('posts'), id: z.number() }).optional(),
    topic: z.string().min(1),
  }),
  output: z.object({ note: z.string() }),
  instructions: 'Write a note.',
  prompt: (input) => `Note on ${input.topic}`,
  model: 'openai:gpt-4.1-mini',
})

const testAgents = (config: Config) => registerAgents(config, [{ agent: noteAgent, targets: ['posts'] }])

let cms: TestCms
let payload: Payload
let tenantA: Id
let tenantB: Id
let postA: Id
let postB: Id

const manual = { kind: 'manual' as const }
const item = (tenant: Id, topic: string, extra: Partial<StartRunArgs> = {}): StartRunArgs => ({
  agent: noteAgent.slug,
  input: { topic },
  tenant,
  trigger: manual,
  ...extra,
})

const rowCount = async (where = 'TRUE', values: unknown[] = []) =>
  Number(
    (
      await poolOf(payload).query<{ n: number }>(
        `SELECT count(*)::int AS n FROM agent_runs WHERE agent = '${noteAgent.slug}' AND ${where}`,
        values,
      )
    ).rows[0]?.n,
  )

beforeAll(async () => {
  cms = await startTestCms('agent_start_runs', { plugins: [testAgents] })
  payload = cms.payload
  tenantA = (await payload.create({ collection: 'tenants', data: { name: 'Bulk A', slug: 'bulk-a' } })).id
  tenantB = (await payload.create({ collection: 'tenants', data: { name: 'Bulk B', slug: 'bulk-b' } })).id
  const post = (tenant: Id, title: string) =>
    payload.create({ collection: 'posts', data: { title, tenant } as never, overrideAccess: true, draft: true })
  postA = (await post(tenantA, 'Post of A')).id
  postB = (await post(tenantB, 'Post of B')).id
})

afterAll(async () => {
  await agentQueueOf(payload, pluginConfigOf(payload))
    .stop({ graceMs: 1_000 })
    .catch(() => {})
  await cms?.close()
})

describe('startRuns', () => {
  it('starts many runs with one insert of rows and one pg-boss insert, one result per item in order', async () => {
    const queue = agentQueueOf(payload, pluginConfigOf(payload))
    await queue.start()
    const pool = poolOf(payload)
    const query = vi.spyOn(pool, 'query')
    const insert = vi.spyOn(queue.boss, 'insert')
    try {
      const items = Array.from({ length: 50 }, (_, i) => item(i % 2 ? tenantA : tenantB, `topic ${i}`))
      const results = await startRuns(payload, items)
      expect(results).toHaveLength(50)
      const runInserts = query.mock.calls.filter(([text]) => /INSERT INTO agent_runs/.test(String(text)))
      expect(runInserts).toHaveLength(1)
      expect(insert).toHaveBeenCalledTimes(1)
      expect(insert.mock.calls[0]?.[1]).toHaveLength(50)
      for (const [i, result] of results.entries()) {
        if ('refused' in result) throw result.refused
        expect(result.deduplicated).toBe(false)
        expect(result.run).toMatchObject({ status: 'queued', input: { topic: `topic ${i}` }, tenant: items[i]!.tenant })
      }
      // Each run's job carries its run id and its tenant as the pg-boss group (per-tenant fairness).
      const { rows } = await pool.query<{ run_id: string; group_id: string }>(
        `SELECT data->>'runId' AS run_id, group_id FROM pgboss.job WHERE name = $1`,
        [`agent.${noteAgent.slug}`],
      )
      const groups = new Map(rows.map((r) => [r.run_id, r.group_id]))
      for (const [i, result] of results.entries())
        expect(groups.get((result as { run: { runId: string } }).run.runId)).toBe(String(items[i]!.tenant))
    } finally {
      query.mockRestore()
      insert.mockRestore()
    }
  })

  it('de-duplicates within a call and against live runs, leaving no stray rows', async () => {
    const before = await rowCount()
    const first = await startRuns(payload, [
      item(tenantA, 'a', { dedupeKey: 'doc-1' }),
      item(tenantA, 'b', { dedupeKey: 'doc-1' }),
      item(tenantB, 'c', { dedupeKey: 'doc-1' }),
    ])
    const [a, b, c] = first as { run: { id: Id; runId: string }; deduplicated: boolean }[]
    expect(a!.deduplicated).toBe(false)
    expect(b).toMatchObject({ deduplicated: true, run: { id: a!.run.id, runId: a!.run.runId } })
    expect(c!.deduplicated).toBe(false) // another tenant's key
    const again = await startRuns(payload, [item(tenantA, 'd', { dedupeKey: 'doc-1' })])
    expect(again[0]).toMatchObject({ deduplicated: true, run: { runId: a!.run.runId } })
    // A single start takes the same path.
    expect(await startRun(payload, item(tenantB, 'e', { dedupeKey: 'doc-1' }))).toMatchObject({
      deduplicated: true,
      run: { runId: c!.run.runId },
    })
    expect(await rowCount()).toBe(before + 2)
  })

  it('refuses item by item with the 4xx of a single start, and starts the rest', async () => {
    await payload.create({
      collection: 'agent-settings',
      data: { tenant: tenantB, agent: noteAgent.slug, enabled: false } as never,
      overrideAccess: true,
    })
    try {
      const before = await rowCount()
      const results = await startRuns(payload, [
        item(tenantA, 'ok 1'),
        { ...item(tenantA, 'x'), agent: 'no-such-agent' },
        item(tenantB, 'disabled'),
        { ...item(tenantA, 'x'), input: { topic: '' } },
        item(tenantA, 'other tenant', { input: { topic: 't', target: { collection: 'posts', id: postB } } }),
        item(tenantA, 'own post', { input: { topic: 't', target: { collection: 'posts', id: postA } } }),
      ])
      const status = results.map((r) => ('refused' in r ? r.refused.status : 'started'))
      expect(status).toEqual(['started', 404, 409, 400, 404, 'started'])
      expect((results[4] as { refused: AgentsError }).refused.message).toBe(`No posts document ${postB} in this tenant`)
      expect(results[5]).toMatchObject({ run: { target: { collection: 'posts', docId: String(postA) } } })
      await expect(startRun(payload, item(tenantB, 'disabled'))).rejects.toMatchObject({ status: 409 })
      expect(await rowCount()).toBe(before + 2)
    } finally {
      await payload.delete({
        collection: 'agent-settings',
        where: { and: [{ tenant: { equals: tenantB } }, { agent: { equals: noteAgent.slug } }] },
        overrideAccess: true,
      })
    }
  })

  it("refuses a tenant whose monthly budget is spent (402) and still starts another tenant's runs", async () => {
    await payload.create({
      collection: 'agent-settings',
      data: { tenant: tenantA, agent: noteAgent.slug, monthlyBudgetUsd: 0.5 } as never,
      overrideAccess: true,
    })
    const spent = await startRun(payload, item(tenantA, 'spent'))
    await poolOf(payload).query(
      `INSERT INTO agent_steps (agent_run_id, run_id, agent, tenant_id, seq, kind, cost_usd, updated_at, created_at)
       VALUES ($1, $2, $3, $4, 1, 'model-call', 0.75, now(), now())`,
      [spent.run.id, spent.run.runId, noteAgent.slug, tenantA],
    )
    const results = await startRuns(payload, [item(tenantA, 'over'), item(tenantB, 'fine'), item(tenantA, 'over 2')])
    expect(results.map((r) => ('refused' in r ? r.refused.status : 'started'))).toEqual([402, 'started', 402])
    expect((results[0] as { refused: AgentsError }).refused.message).toMatch(/monthly budget of \$0.5/)
  })
})
