/** The public shapes of a run: `runAgent`'s options and result, `applyRun`'s options. */
import type { AgentServices } from '../agent.ts'
import type { EventSink, RunEvent } from '../events.ts'
import type { RetryPolicy } from '../fallback.ts'
import type { ProviderOptionsMap, ProviderRegistry } from '../providers/registry.ts'
import type { RunError, RunState, RunStatus, RunUsage } from '../state.ts'
import type { Budget, BudgetGuard, PriceTable } from '../usage.ts'

/** Options of `runAgent`. Everything is optional. */
export interface RunOptions {
  /** Id of the run (the queue passes its run row id). @default a random UUID */
  runId?: string
  tenant?: string
  /** Cancels the run: status `cancelled`. */
  signal?: AbortSignal
  /** Overrides the agent's `timeoutMs`; on expiry the run fails with code `timeout`. */
  timeoutMs?: number
  /** Overrides the agent's `maxSteps`. */
  maxSteps?: number
  /** Overrides the agent's model or chain (e.g. per-tenant settings). */
  model?: string | readonly string[]
  /** Receives every event; awaited in order (not for text deltas, which are queued). Errors reject the run. */
  sink?: EventSink
  /** Bound of one sink write; a slower sink fails the run like a failing one. @default 30000 */
  sinkTimeoutMs?: number
  /** Synchronous listener of every event, text deltas included; for live UIs. */
  onEvent?: (event: RunEvent) => void
  /** Stream model replies as `text-delta` events. @default true when `onEvent` is set */
  stream?: boolean
  /** @default the process-wide `providers` registry */
  providers?: ProviderRegistry
  /** Per-provider options (API keys per tenant, base URLs). */
  providerOptions?: ProviderOptionsMap
  retry?: Partial<RetryPolicy>
  /** @default DEFAULT_PRICES */
  prices?: PriceTable
  /** Per-run budget; replaces the agent's. */
  budget?: Budget
  /** Scope budgets (per tenant …) checked before each model call. */
  budgetGuards?: readonly BudgetGuard[]
  /** Call `apply` when no approval is needed. @default true */
  autoApply?: boolean
  /** Continue a run from saved state instead of starting over (input is taken from the state). */
  resume?: RunState
  /** Host services handed to tools, `approval` and `apply` (e.g. `{ payload }`). @default {} */
  services?: AgentServices
}

/** The outcome of `runAgent`. */
export interface RunResult<O = unknown, R = unknown> {
  runId: string
  status: Exclude<RunStatus, 'running'>
  /** Validated output (also set when awaiting approval, and when `apply` failed). */
  output?: O
  /** Final assistant text. */
  text?: string
  usage: RunUsage
  /** Model steps taken. */
  steps: number
  error?: RunError
  applied: boolean
  applyResult?: R
  /** The run as plain data; store it to resume or apply later. */
  state: RunState
}

/** Options of `applyRun`. */
export interface ApplyOptions {
  /** Host services handed to `apply`. @default {} */
  services?: AgentServices
  sink?: EventSink
  onEvent?: (event: RunEvent) => void
  signal?: AbortSignal
}
