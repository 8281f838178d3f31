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

/** Every call of `apply`, one row each (no key): a run applied twice shows up as two rows. */
export const EFFECTS_SQL = Object.freeze({
  create:
    'CREATE TABLE IF NOT EXISTS bench_chaos_effects (run_id text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())',
  insert: 'INSERT INTO bench_chaos_effects (run_id, pid) VALUES ($1, $2)',
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
    await poolOf(services.payload as Payload).query(EFFECTS_SQL.insert, [runId, process.pid])
  },
})

/** Our CMS (`cmsConfig`) with the chaos agent registered; the provider reads OPENAI_BASE_URL (the mock LLM). */
export function chaosCmsOptions(): CmsConfigOptions {
  return { plugins: [(config) => registerAgents(config, [{ agent: chaosAgent }])] }
}
