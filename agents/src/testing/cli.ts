/**
 * `pnpm mock-llm`: the offline mock LLM on port 4010 (MOCK_LLM_PORT overrides). Set MOCK_LLM_URL=<url> for
 * the runtime to use it when no API key is set (or OPENAI_BASE_URL=<url>/v1, ANTHROPIC_BASE_URL=<url>);
 * every unscripted reply is marked as offline output.
 */
import { OFFLINE_MODEL, startMockLLM } from './mock-llm.ts'

const port = Number(process.env.MOCK_LLM_PORT ?? 4010)
const host = process.env.MOCK_LLM_HOST ?? '127.0.0.1'
const mock = await startMockLLM({ port, host })
console.log(`mock LLM listening on ${mock.url} (model id of offline replies: ${OFFLINE_MODEL})`)
console.log(`  MOCK_LLM_URL=${mock.url}  (used by @bizosaas/agents when no API key is set)`)
console.log(`  OPENAI_BASE_URL=${mock.openaiBaseURL}`)
console.log(`  ANTHROPIC_BASE_URL=${mock.anthropicBaseURL}`)

const stop = async (signal: string) => {
  console.log(`mock LLM: ${signal}, closing`)
  await mock.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop('SIGINT'))
process.once('SIGTERM', () => void stop('SIGTERM'))
