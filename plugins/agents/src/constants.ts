/** Status values, frozen: the one place their spelling lives. */
export const RUN_STATUS = Object.freeze({
  queued: 'queued',
  running: 'running',
  awaitingApproval: 'awaiting-approval',
  succeeded: 'succeeded',
  rejected: 'rejected',
  failed: 'failed',
  cancelled: 'cancelled',
} as const)
export type RunRowStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS]
/** Statuses after which nothing more happens to a run. */
export const FINAL_RUN_STATUSES: readonly RunRowStatus[] = Object.freeze([
  'succeeded',
  'rejected',
  'failed',
  'cancelled',
])

export const APPROVAL_STATUS = Object.freeze({
  pending: 'pending',
  approved: 'approved',
  applied: 'applied',
  rejected: 'rejected',
  expired: 'expired',
} as const)
export type ApprovalStatus = (typeof APPROVAL_STATUS)[keyof typeof APPROVAL_STATUS]

export const STEP_KIND = Object.freeze({
  step: 'step',
  modelCall: 'model-call',
  toolCall: 'tool-call',
} as const)

export const TRIGGER_KIND = Object.freeze({
  manual: 'manual',
  hook: 'hook',
  schedule: 'schedule',
  rerun: 'rerun',
} as const)

export const APPROVAL_POLICY = Object.freeze({ default: 'default', always: 'always', never: 'never' } as const)

/** pg-boss queue of approved outputs waiting to be applied. */
export const APPLY_QUEUE = 'agents.apply-approval'

/**
 * Key of the pg-boss schedules the agent settings own (`<tenant>/agent-settings` on `agent.<slug>`):
 * `syncSchedules` reconciles these and leaves schedules made in code with other keys alone.
 */
export const SETTINGS_SCHEDULE_KEY = 'agent-settings'

/** Admin components, as import-map paths (`payload generate:importmap` writes them into the app). */
export const COMPONENTS = Object.freeze({
  runAgentMenu: '@bizosaas/plugin-agents/client#RunAgentMenu',
  runView: '@bizosaas/plugin-agents/client#RunView',
  approvalReview: '@bizosaas/plugin-agents/client#ApprovalReview',
  statusCell: '@bizosaas/plugin-agents/client#StatusCell',
  costCell: '@bizosaas/plugin-agents/client#CostCell',
  jsonView: '@bizosaas/plugin-agents/client#JsonView',
  queueHealth: '@bizosaas/plugin-agents/rsc#QueueHealthWidget',
} as const)

/** Where agent packs put their agents in the Payload config (`config.custom`). */
export const REGISTRY_KEY = 'bizosaasAgents'

export const AGENT_COLLECTIONS = Object.freeze(['agent-runs', 'agent-steps', 'approvals', 'agent-settings'] as const)

const values = <T extends Record<string, string>>(o: T) => Object.values(o) as T[keyof T][]
export const options = { values }
