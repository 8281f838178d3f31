import type { Message } from './providers/types.ts'

/** Final or waiting status of a run. `running` only appears in state saved mid-run. */
export const RUN_STATUS = Object.freeze({
  running: 'running',
  succeeded: 'succeeded',
  awaitingApproval: 'awaiting-approval',
  failed: 'failed',
  cancelled: 'cancelled',
} as const)

export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS]

/** Why a run failed or stopped. */
export type RunErrorCode =
  | 'invalid-input'
  | 'invalid-output'
  | 'max-steps'
  | 'timeout'
  | 'cancelled'
  | 'budget-exceeded'
  | 'provider'
  | 'apply-failed'
  | 'internal'

/** One attempt of a model call, as recorded when a call fails or is retried. */
export interface ModelAttempt {
  /** `provider:model` */
  model: string
  attempt: number
  error?: string
  status?: number
  kind?: string
  latencyMs: number
}

/** A run failure with everything needed to understand it later. */
export interface RunError {
  code: RunErrorCode
  message: string
  /** Validation issues (input or output), as `path: message` lines. */
  issues?: Array<{ path: string; message: string }>
  /** Every model attempt of the failing call (provider failures). */
  attempts?: ModelAttempt[]
}

/** Summed usage of a run. */
export interface RunUsage {
  inputTokens: number
  outputTokens: number
  cachedTokens: number
  /** US dollars; 0 for models missing from the price table. */
  costUsd: number
  modelCalls: number
  toolCalls: number
}

/**
 * A run as plain JSON: everything needed to inspect, resume or apply it from another process.
 * The Payload plugin stores it as a run row plus step rows (see `step` events).
 */
export interface RunState {
  runId: string
  agent: string
  tenant?: string
  status: RunStatus
  input: unknown
  /** The whole conversation, system prompt included. */
  messages: Message[]
  /** Model steps taken so far. */
  steps: number
  /** Whether the structured-output repair round was used. */
  repaired: boolean
  usage: RunUsage
  /** Validated output, once there is one. */
  output?: unknown
  /** Model that produced the final answer (as reported by the server, e.g. `offline-mock`). */
  outputModel?: string
  error?: RunError
  /** Set once `apply` succeeded. */
  appliedAt?: string
  applyResult?: unknown
  startedAt: string
  finishedAt?: string
}

/** Zero usage. */
export function emptyUsage(): RunUsage {
  return { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0, modelCalls: 0, toolCalls: 0 }
}
