/** The model's final answer: parsed and validated against the agent's output schema, or the repair request. */
import { z } from 'zod'
import type { AnyAgent } from '../agent.ts'
import type { RunError } from '../state.ts'

/** A validated answer, or the issues that make it invalid. */
export type ParsedOutput = { ok: true; value: unknown } | { ok: false; issues: NonNullable<RunError['issues']> }

/** Validates an answer: plain text for a `z.string()` output, else JSON (code fences allowed). */
export function parseOutput(agent: AnyAgent, text: string): ParsedOutput {
  if (agent.output instanceof z.ZodString) return checked(agent.output.safeParse(text))
  let json: unknown
  try {
    json = JSON.parse(stripFences(text))
  } catch {
    return { ok: false, issues: [{ path: '(root)', message: 'Response is not valid JSON' }] }
  }
  return checked(agent.output.safeParse(json))
}

/** The message that asks the model for one corrected answer. */
export function repairMessage(issues: NonNullable<RunError['issues']>): string {
  const lines = issues.map((issue) => `- ${issue.path}: ${issue.message}`).join('\n')
  return `Your answer did not match the required output schema:\n${lines}\nReply again with only the corrected JSON.`
}

function checked(result: z.ZodSafeParseResult<unknown>): ParsedOutput {
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) }
}

function issuesOf(error: z.ZodError): NonNullable<RunError['issues']> {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.join('.') : '(root)',
    message: issue.message,
  }))
}

function stripFences(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text)
  return fenced?.[1] ?? text.trim()
}
