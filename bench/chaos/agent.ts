/**
 * The chaos bench's agent and CMS options, shared by the orchestrator (run.ts) and its worker processes
 * (worker.ts) so both build the same Payload config.
 */
import { defineAgent } from '@bizosaas/agents'
import type { CmsConfigOptions } from '@bizosaas/cms/config'
import { registerAgents } from '@bizosaas/plugin-agents'
import { poolOf } from '@bizosaas/plugin-agents/testing'
import type { Payload } from 'payload'
import { z } from 'zod'

export const AGENT_SLUG = 'chaos-title'

/**
 * `apply` as the plugin's contract asks (idempotent: after a crash it may run again): every call is
 * logged in `bench_chaos_calls`; the effect is written once per run, keyed by the run id, in
 * `bench_chaos_effects`. A run whose effect landed twice would show as two effect rows — the primary
 * key makes that impossible only because the apply honours the contract, which is what the bench checks
 * the platform lets an agent do (its run id is stable across the retries of an apply).
 */
export const EFFECTS_SQL = Object.freeze({
  create: [
    'CREATE TABLE IF NOT EXISTS bench_chaos_calls (run_id text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())',
    'CREATE TABLE IF NOT EXISTS bench_chaos_effects (run_id text PRIMARY KEY, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())',
  ],
  call: 'INSERT INTO bench_chaos_calls (run_id, pid) VALUES ($1, $2)',
  effect: 'INSERT INTO bench_chaos_effects (run_id, pid) VALUES ($1, $2) ON CONFLICT (run_id) DO NOTHING',
})

/** Proposes a title through the mock LLM (OpenAI wire format), always asks for approval; `apply` records itself. */
export const chaosAgent = defineAgent({
  slug: AGENT_SLUG,
  description: 'Proposes a title and, once approved, records the apply (chaos bench agent)',
  input: z.object({ n: z.number().int().describe('Number of the run in the bench') }),
  output: z.object({ title: z.string().describe('The proposed title') }),
  instructions: 'Propose a title.',
  prompt: (input) => {
    // BENCH_TRACE=1: each worker logs when it starts a run (to its log file), to see which worker resumed what.
    if (process.env.BENCH_TRACE === '1')
      process.stdout.write(`run ${input.n} started ${Date.now()} pid ${process.pid}\n`)
    return `Chaos run ${input.n}: propose a title`
  },
  model: 'openai:gpt-4.1-mini',
  approval: true,
  apply: async (_output, { runId, services }) => {
    const pool = poolOf(services.payload as Payload)
    await pool.query(EFFECTS_SQL.call, [runId, process.pid])
    await pool.query(EFFECTS_SQL.effect, [runId, process.pid])
  },
})

/** Our CMS (`cmsConfig`) with the chaos agent registered; the provider reads OPENAI_BASE_URL (the mock LLM). */
export function chaosCmsOptions(): CmsConfigOptions {
  return { plugins: [(config) => registerAgents(config, [{ agent: chaosAgent }])] }
}
