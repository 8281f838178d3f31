/**
 * The conversation of a run, step by step: the prompt, then model ↔ tool calls until the model gives a
 * valid answer (one repair round), or a limit (steps, budget) ends the run.
 */
import { z } from 'zod'
import { abortable } from '../abort.ts'
import { type AttemptRecord, generateWithFallback } from '../fallback.ts'
import type { Message, ModelRequest, ToolCall } from '../providers/types.ts'
import { executeTool, type ToolResult, toJsonSchema, toolSpec } from '../tool.ts'
import { type BudgetScope, costOf, exceeds } from '../usage.ts'
import { finish } from './finish.ts'
import type { ActiveRun, RunOutput } from './open.ts'
import { parseOutput, repairMessage } from './output.ts'

/** Writes the system and user messages, unless a resumed run already has them. */
export async function writePrompt(run: ActiveRun): Promise<void> {
  if (run.resumed && run.state.messages.length > 0) return
  const { agent, input, signal } = run
  const system =
    typeof agent.instructions === 'function'
      ? await abortable(Promise.resolve(agent.instructions(input)), signal)
      : agent.instructions
  const prompt = agent.prompt
    ? await abortable(Promise.resolve(agent.prompt(input)), signal)
    : JSON.stringify(input, null, 2)
  run.state.messages = [
    { role: 'system', content: system },
    { role: 'user', content: prompt },
  ]
  await run.events.emit({
    type: 'step',
    step: 0,
    kind: 'prompt',
    messages: [...run.state.messages],
    usage: run.state.usage,
  })
}

/**
 * Drives the conversation until the model's answer is valid. Returns undefined when the run has already
 * finished as failed (invalid output after the repair round, step limit, budget).
 */
export async function converse(run: ActiveRun): Promise<RunOutput | undefined> {
  const request = modelRequest(run)
  for (;;) {
    const pending = pendingToolCalls(run.state.messages)
    if (pending.length) {
      await runToolCalls(run, pending)
      continue
    }
    const last = run.state.messages.at(-1)
    if (last?.role === 'assistant') {
      // a final answer (possibly restored from saved state)
      const answer = await checkAnswer(run, last.content)
      if (answer === REPAIR_ASKED) continue
      return answer
    }
    if (!(await withinLimits(run))) return undefined
    await callModel(run, request)
  }
}

const REPAIR_ASKED = Symbol('repair asked')

/** The parts of every model request that do not change between steps. */
function modelRequest(run: ActiveRun): Omit<ModelRequest, 'model' | 'signal'> {
  const { agent, tools } = run
  return {
    messages: run.state.messages,
    tools: tools.size ? [...tools.values()].map(toolSpec) : undefined,
    output:
      agent.output instanceof z.ZodString
        ? undefined
        : { name: agent.slug.replace(/-/g, '_'), schema: toJsonSchema(agent.output, 'output') },
    temperature: agent.temperature,
    maxOutputTokens: agent.maxOutputTokens,
  }
}

/** Tool calls of the last assistant message that have no result yet (after a crash mid-step). */
function pendingToolCalls(messages: readonly Message[]): ToolCall[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as Message
    if (message.role !== 'assistant') continue
    if (!message.toolCalls?.length) return []
    const done = new Set(messages.slice(i + 1).flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])))
    return message.toolCalls.filter((call) => !done.has(call.id))
  }
  return []
}

/** Runs the pending tool calls in parallel and appends their results as one `tools` step. */
async function runToolCalls(run: ActiveRun, calls: readonly ToolCall[]): Promise<void> {
  const step = run.state.steps
  const results = await Promise.all(calls.map((call) => runToolCall(run, call, step)))
  run.state.messages.push(...results)
  run.state.usage = { ...run.state.usage, toolCalls: run.state.usage.toolCalls + results.length }
  await run.events.emit({ type: 'step', step, kind: 'tools', messages: results, usage: run.state.usage })
}

async function runToolCall(run: ActiveRun, call: ToolCall, step: number): Promise<Message> {
  const { state, tools, signal } = run
  const tool = tools.get(call.name)
  const started = performance.now()
  let parsedArgs: unknown = call.arguments
  try {
    parsedArgs = JSON.parse(call.arguments)
  } catch {
    // keep the raw text in the event
  }
  const result: ToolResult = tool
    ? await abortable(
        executeTool(tool, call.arguments, {
          runId: state.runId,
          agent: run.agent.slug,
          tenant: state.tenant,
          signal,
          step,
          toolCallId: call.id,
          services: run.context.services,
          connection: run.context.services.connection,
        }),
        signal,
      )
    : {
        isError: true as const,
        message: `Unknown tool "${call.name}". Available tools: ${[...tools.keys()].join(', ') || '(none)'}`,
      }
  await run.events.emit({
    type: 'tool-call',
    step,
    toolCallId: call.id,
    tool: call.name,
    input: parsedArgs,
    output: result.isError ? undefined : result.output,
    isError: result.isError,
    message: result.isError ? result.message : undefined,
    latencyMs: performance.now() - started,
  })
  return {
    role: 'tool',
    toolCallId: call.id,
    toolName: call.name,
    content: toolContent(result.isError ? { isError: true, message: result.message } : (result.output ?? null)),
    ...(result.isError ? { isError: true } : {}),
  }
}

/** What the model reads for a tool result: strings as they are, anything else as JSON. */
function toolContent(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result ?? null)
}

/** Validates the model's answer: the output, a repair request (once), or the run fails as invalid. */
async function checkAnswer(run: ActiveRun, text: string): Promise<RunOutput | typeof REPAIR_ASKED | undefined> {
  const { agent, state } = run
  const parsed = parseOutput(agent, text)
  if (parsed.ok) return { value: parsed.value, text, model: state.outputModel }
  if (state.repaired) {
    await finish(run, 'failed', {
      error: {
        code: 'invalid-output',
        message: `Output of agent "${agent.slug}" is invalid after one repair round`,
        issues: parsed.issues,
      },
    })
    return undefined
  }
  const repair: Message = { role: 'user', content: repairMessage(parsed.issues) }
  state.messages.push(repair)
  state.repaired = true
  await run.events.emit({ type: 'step', step: state.steps, kind: 'repair', messages: [repair], usage: state.usage })
  return REPAIR_ASKED
}

/** Checks the step limit, the run's budget and the budget guards before a model call; fails the run if one is hit. */
async function withinLimits(run: ActiveRun): Promise<boolean> {
  const { agent, state, maxSteps, budget } = run
  if (state.steps >= maxSteps) {
    await finish(run, 'failed', {
      error: { code: 'max-steps', message: `Agent "${agent.slug}" reached its step limit (${maxSteps})` },
    })
    return false
  }
  const runBudgetReason = budget ? exceeds(budget, state.usage) : undefined
  if (runBudgetReason) {
    await finish(run, 'failed', { error: { code: 'budget-exceeded', message: `Run budget: ${runBudgetReason}` } })
    return false
  }
  for (const guard of run.options.budgetGuards ?? []) {
    const model = run.chain[0]?.id as string
    const decision = await abortable(Promise.resolve(guard.check(budgetScope(run, model))), run.signal)
    if (!decision.ok) {
      await finish(run, 'failed', { error: { code: 'budget-exceeded', message: decision.reason } })
      return false
    }
  }
  return true
}

function budgetScope(run: ActiveRun, model: string): BudgetScope {
  const { state } = run
  return { runId: state.runId, agent: run.agent.slug, tenant: state.tenant, model, usage: state.usage }
}

/** One model step: the fallback chain answers, every attempt is recorded, the reply is appended. */
async function callModel(run: ActiveRun, request: Omit<ModelRequest, 'model' | 'signal'>): Promise<void> {
  const { state } = run
  state.steps += 1
  const step = state.steps
  let attemptsEnded = 0
  const { response } = await generateWithFallback(
    run.chain,
    {
      ...request,
      messages: [...state.messages],
      onTextDelta: run.stream
        ? (delta) => void run.events.emit({ type: 'text-delta', step, attempt: attemptsEnded + 1, delta })
        : undefined,
    },
    {
      signal: run.signal,
      retry: run.options.retry,
      onAttempt: (attempt) => {
        attemptsEnded += 1
        return recordAttempt(run, step, attempt)
      },
    },
  )
  const assistant: Message = {
    role: 'assistant',
    content: response.text,
    ...(response.toolCalls.length ? { toolCalls: response.toolCalls } : {}),
  }
  state.messages.push(assistant)
  if (!response.toolCalls.length) state.outputModel = response.model
  await run.events.emit({ type: 'step', step, kind: 'model', messages: [assistant], usage: state.usage })
}

/** Adds an attempt's usage and cost to the run, tells the budget guards, and emits the `model-call` event. */
async function recordAttempt(run: ActiveRun, step: number, attempt: AttemptRecord): Promise<void> {
  const { state } = run
  const usage = attempt.response?.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }
  const costUsd = costOf(attempt.model.id, usage, run.prices)
  const total = state.usage
  state.usage = {
    inputTokens: total.inputTokens + usage.inputTokens,
    outputTokens: total.outputTokens + usage.outputTokens,
    cachedTokens: total.cachedTokens + (usage.cachedTokens ?? 0),
    costUsd: total.costUsd + costUsd,
    modelCalls: total.modelCalls + (attempt.response ? 1 : 0),
    toolCalls: total.toolCalls,
  }
  const guards = run.options.budgetGuards
  if (attempt.response && guards?.length) {
    const scope = budgetScope(run, attempt.model.id)
    for (const guard of guards) await abortable(Promise.resolve(guard.record?.(scope, { usage, costUsd })), run.signal)
  }
  await run.events.emit({
    type: 'model-call',
    step,
    model: attempt.model.id,
    responseModel: attempt.response?.model,
    attempt: attempt.attempt,
    chainIndex: attempt.chainIndex,
    ...usage,
    latencyMs: attempt.latencyMs,
    costUsd,
    finishReason: attempt.response?.finishReason,
    error: attempt.error && {
      message: attempt.error.message,
      kind: attempt.error.kind,
      status: attempt.error.status,
      retryable: attempt.error.retryable,
    },
  })
}
