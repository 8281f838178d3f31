import type { FinishReason, Message } from './providers/types.ts'
import type { RunError, RunStatus, RunUsage } from './state.ts'

interface EventBase {
  runId: string
  /** Agent slug. */
  agent: string
  /** ISO timestamp. */
  at: string
}

export interface RunStartedEvent extends EventBase {
  type: 'run-started'
  tenant?: string
  input: unknown
  /** True when the run continues from saved state. */
  resumed: boolean
}

/** One model call attempt (failed attempts included, with `error`). */
export interface ModelCallEvent extends EventBase {
  type: 'model-call'
  step: number
  /** `provider:model` as configured. */
  model: string
  /** Model id the server reported. */
  responseModel?: string
  /** 1-based attempt on this model (retries), and index in the fallback chain. */
  attempt: number
  chainIndex: number
  inputTokens: number
  outputTokens: number
  cachedTokens: number
  latencyMs: number
  costUsd: number
  finishReason?: FinishReason
  error?: { message: string; kind: string; status?: number; retryable: boolean }
}

export interface ToolCallEvent extends EventBase {
  type: 'tool-call'
  step: number
  toolCallId: string
  tool: string
  input: unknown
  output?: unknown
  isError: boolean
  /** Error message when `isError`. */
  message?: string
  latencyMs: number
}

export interface TextDeltaEvent extends EventBase {
  type: 'text-delta'
  step: number
  /**
   * Attempt within the step (retries and fallbacks count). When it grows, the deltas already shown for
   * this step came from an attempt that failed mid-stream: discard them.
   */
  attempt: number
  delta: string
}

/**
 * A completed step: the messages it appended to the run. Persist these as step rows to resume later
 * (`prompt` is step 0: the system and user messages).
 */
export interface StepEvent extends EventBase {
  type: 'step'
  step: number
  kind: 'prompt' | 'model' | 'tools' | 'repair'
  messages: Message[]
  usage: RunUsage
}

export interface OutputEvent extends EventBase {
  type: 'output'
  output: unknown
  model?: string
  usage: RunUsage
}

export interface AwaitingApprovalEvent extends EventBase {
  type: 'awaiting-approval'
  output: unknown
}

export interface AppliedEvent extends EventBase {
  type: 'applied'
  result: unknown
}

export interface FailedEvent extends EventBase {
  type: 'failed'
  error: RunError
  usage: RunUsage
}

export interface CancelledEvent extends EventBase {
  type: 'cancelled'
  reason: string
  usage: RunUsage
}

/** Final event of every run (after output/awaiting-approval/applied/failed/cancelled). */
export interface RunFinishedEvent extends EventBase {
  type: 'run-finished'
  status: RunStatus
  steps: number
  usage: RunUsage
  durationMs: number
}

export type RunEvent =
  | RunStartedEvent
  | ModelCallEvent
  | ToolCallEvent
  | TextDeltaEvent
  | StepEvent
  | OutputEvent
  | AwaitingApprovalEvent
  | AppliedEvent
  | FailedEvent
  | CancelledEvent
  | RunFinishedEvent

export type RunEventType = RunEvent['type']

/** Where a run's events go (a Postgres sink in the Payload plugin, a recorder in tests). */
export interface EventSink {
  emit(event: RunEvent): Promise<void> | void
}

/** Sends every event to each sink in turn. */
export function compositeSink(...sinks: Array<EventSink | undefined>): EventSink {
  const present = sinks.filter((sink): sink is EventSink => sink !== undefined)
  return {
    async emit(event) {
      for (const sink of present) await sink.emit(event)
    },
  }
}

/** A sink that keeps events in memory, for tests and debugging. */
export interface RecordingSink extends EventSink {
  readonly events: RunEvent[]
  /** Events of one type, typed. */
  ofType<T extends RunEventType>(type: T): Array<Extract<RunEvent, { type: T }>>
  clear(): void
}

/** Creates a sink that records events in memory. */
export function recordingSink(): RecordingSink {
  const events: RunEvent[] = []
  return {
    events,
    emit(event) {
      events.push(event)
    },
    ofType<T extends RunEventType>(type: T) {
      return events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type)
    },
    clear() {
      events.length = 0
    },
  }
}
