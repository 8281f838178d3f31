/** The benches' trivial agent: integer in, `{ ok }` out, on the stub model (like the queue tests' `echo` agent). */
import { defineAgent } from '@bizosaas/agents'
import { z } from 'zod'

/** Integer in, `{ ok }` out, model `stub:instant`, no approval, no apply. */
export const trivialAgent = defineAgent({
  slug: 'echo',
  description: 'Echoes a number (benchmark agent).',
  input: z.object({ n: z.number().int().describe('Any integer') }),
  output: z.object({ ok: z.boolean().describe('Always true') }),
  instructions: 'Answer with ok = true.',
  model: 'stub:instant',
})
