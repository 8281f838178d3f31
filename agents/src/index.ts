/**
 * @bizosaas/agents — the agent runtime: tools, agents, providers, run loop, usage and events.
 * Providers are subpath exports (`./openai`, `./anthropic`, `./langchain`); the testing kit is `./testing`.
 */
export { AbortError, abortable, sleep } from './abort.ts'
export {
  type Agent,
  type AgentContext,
  type AgentDefinition,
  type AgentInput,
  AgentInputError,
  type AgentOutput,
  type AnyAgent,
  type Approval,
  DEFAULT_MAX_STEPS,
  DEFAULT_TIMEOUT_MS,
  defineAgent,
  parseAgentInput,
} from './agent.ts'
export {
  type AppliedEvent,
  type AwaitingApprovalEvent,
  type CancelledEvent,
  compositeSink,
  type EventSink,
  type FailedEvent,
  type ModelCallEvent,
  type OutputEvent,
  type RecordingSink,
  type RunEvent,
  type RunEventType,
  type RunFinishedEvent,
  type RunStartedEvent,
  recordingSink,
  type StepEvent,
  type TextDeltaEvent,
  type ToolCallEvent,
} from './events.ts'
export {
  type AttemptRecord,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  FallbackError,
  generateWithFallback,
  type RetryPolicy,
} from './fallback.ts'
export {
  createProviderRegistry,
  defaultProviderRegistry,
  type ProviderFactory,
  type ProviderOptionsMap,
  type ProviderRegistry,
  parseModelString,
  providers,
  type ResolvedModel,
  UnknownModelError,
} from './providers/registry.ts'
export {
  type FinishReason,
  type JsonSchema,
  kindFromStatus,
  type Message,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  ProviderError,
  type ProviderErrorKind,
  type ProviderOptions,
  parseRetryAfter,
  type TokenUsage,
  type ToolCall,
  type ToolSpec,
} from './providers/types.ts'
export {
  type AgentListing,
  type AgentRegistry,
  createAgentRegistry,
  describeAgent,
  UnknownAgentError,
} from './registry.ts'
export {
  type ApplyOptions,
  applyRun,
  type RunOptions,
  type RunResult,
  requiresApproval,
  resumeRun,
  runAgent,
  stateFromSteps,
} from './run.ts'
export {
  emptyUsage,
  type ModelAttempt,
  RUN_STATUS,
  type RunError,
  type RunErrorCode,
  type RunState,
  type RunStatus,
  type RunUsage,
} from './state.ts'
export {
  type AnyTool,
  defineTool,
  executeTool,
  formatIssues,
  isToolError,
  type Tool,
  type ToolContext,
  type ToolDefinition,
  type ToolError,
  type ToolResult,
  toJsonSchema,
  toolSpec,
} from './tool.ts'
export {
  type Budget,
  type BudgetDecision,
  type BudgetGuard,
  type BudgetScope,
  costOf,
  createPriceTable,
  DEFAULT_PRICES,
  exceeds,
  findPrice,
  type ModelPrice,
  memoryBudgetGuard,
  type PriceTable,
} from './usage.ts'
