import type { AgentInput, AgentOutput, AnyAgent, BudgetGuard, ProviderRegistry } from '@bizosaas/agents'
import type { AgentQueueOptions } from '@bizosaas/agents/queue'
import type { CollectionConfig, CollectionSlug, Payload, PayloadRequest, TypeWithID } from 'payload'
import type { Id } from './documents.ts'

declare module '@bizosaas/agents' {
  interface AgentServices {
    /** The Payload Local API, for tools and `apply` of agents hosted by the agents plugin. */
    payload?: Payload
  }
}

export type { Id }

/** A document an agent works on, as agent input (`input.target`). */
export interface DocumentTarget {
  collection: CollectionSlug
  id: Id
}

/** Runs an agent when documents of a collection change. */
export interface AgentTrigger<A extends AnyAgent = AnyAgent> {
  collection: CollectionSlug
  /**
   * Whether this change should run the agent, e.g. "a post was just published". May read the database
   * through `req` (e.g. a tenant's setting); it runs inside the save's transaction, so pass `req` on.
   */
  when: (args: {
    doc: TypeWithID & Record<string, unknown>
    previousDoc?: Record<string, unknown>
    operation: 'create' | 'update'
    req: PayloadRequest
  }) => boolean | Promise<boolean>
  /** The agent's input for this document (may read the database through `req`, like `when`). */
  input: (args: {
    doc: TypeWithID & Record<string, unknown>
    req: PayloadRequest
  }) => AgentInput<A> | Promise<AgentInput<A>>
  /**
   * Changes with the same key while a run is queued or running share that run, so an edit storm runs
   * the agent once. @default `<collection>:<id>`
   */
  dedupeKey?: (args: { doc: TypeWithID & Record<string, unknown> }) => string
}

/**
 * How an agent runs on a schedule. A tenant turns it on by saving a cron in the agent's settings; the
 * plugin keeps one pg-boss schedule per tenant and agent in step with those settings.
 */
export interface AgentSchedule<A extends AnyAgent = AnyAgent> {
  /**
   * The input of the tenant's scheduled runs. Computed when the settings are saved (and on every
   * `syncSchedules`) and stored with the schedule, so describe the work ("posts of the last 7 days"),
   * not a snapshot of the data.
   */
  input: (args: { tenant: Id; payload: Payload }) => AgentInput<A> | Promise<AgentInput<A>>
  /** Cron (UTC) the admin suggests, e.g. "0 6 * * 1". */
  defaultCron?: string
  /** What a scheduled run does, for the admin, e.g. "Weekly digest of new posts". */
  description?: string
}

/** An agent as the plugin hosts it: the runtime definition plus how it meets Payload documents. */
export interface PayloadAgent<A extends AnyAgent = AnyAgent> {
  agent: A
  /** How the admin names the agent, e.g. "SEO meta". @default the slug in words */
  label?: string
  /**
   * Collections whose documents this agent works on: the admin shows "Run agent" there and the run
   * endpoint checks that `input.target` is a document of the caller's tenant.
   */
  targets?: CollectionSlug[]
  /** The current value of what the output would change, shown beside the proposal in review. */
  current?: (args: { payload: Payload; input: AgentInput<A>; output: AgentOutput<A>; tenant: Id }) => Promise<unknown>
  triggers?: AgentTrigger<A>[]
  /** Whether tenants may run this agent on a cron (agent settings `schedule`), and with what input. */
  schedule?: AgentSchedule<A>
  /**
   * Connector ids whose connections this agent uses through `ctx.connection('<id>')` (shown in the
   * portal beside each connection). When set, the agent may use only these. @default any connector
   */
  connectors?: string[]
}

/** Who may do what with agents; the host app maps its roles onto these. Tenant scoping is enforced separately. */
export interface AgentsAccess {
  /** Start runs and cancel or retry them. */
  run: (args: { req: PayloadRequest; tenant: Id }) => boolean | Promise<boolean>
  /** Approve or reject proposals. */
  review: (args: { req: PayloadRequest; tenant: Id }) => boolean | Promise<boolean>
  /** Change agent settings. */
  configure: (args: { req: PayloadRequest; tenant: Id }) => boolean | Promise<boolean>
  /** Tenants the user belongs to (`'all'` for platform admins). */
  tenantsOf: (req: PayloadRequest) => Id[] | 'all'
}

/** A rate limit's refusal: the endpoint answers 429 with `Retry-After: retryAfterSeconds` and `message`. */
export interface AgentsRateLimitRefusal {
  retryAfterSeconds: number
  message: string
}

/**
 * Asked before a run is started through the endpoint (`start-run`, with the tenant it runs for) and before
 * an approval is decided (`decide-approval`, by the signed-in user); a refusal answers 429.
 */
export type AgentsRateLimit = (args: {
  req: PayloadRequest
  action: 'start-run' | 'decide-approval'
  tenant?: Id
}) => Promise<AgentsRateLimitRefusal | null | undefined>

/** An approval decision, as the decision's own transaction writes it. */
export interface ApprovalDecision {
  id: Id
  tenant: Id
  agent: string
  status: 'approved' | 'rejected'
  reviewer: Id
}

/**
 * Called inside the transaction that decides an approval, after its UPDATE and before its COMMIT: what it
 * writes with `query` commits or rolls back with the decision (e.g. an audit entry). A throw undoes the
 * decision and answers 5xx.
 */
export type ApprovalDecisionHook = (args: {
  req: PayloadRequest
  decision: ApprovalDecision
  query: (text: string, values?: unknown[]) => Promise<unknown>
}) => Promise<void>

/**
 * What happened to a run that others may want to hear about (outgoing webhooks): a run reached a final
 * status, or an approval is waiting for a person. `id` is stable per occurrence, so hearing it twice
 * (a retried worker) can be de-duplicated.
 */
export type AgentEvent =
  | {
      type: 'run.finished'
      id: string
      tenant: Id
      data: { runId: string; run: Id; agent: string; status: string; finishedAt: string | null }
    }
  | {
      type: 'approval.waiting'
      id: string
      tenant: Id
      data: { approval: Id; runId: string; run: Id; agent: string; expiresAt: string }
    }

/** Told of each agent event after its row is written; a throw is logged, never fails the run. */
export type AgentEventHook = (payload: Payload, event: AgentEvent) => Promise<void>

export interface AgentsPluginConfig {
  /** Agents this plugin hosts. Agent packs add theirs with `registerAgents`. @default [] */
  agents?: PayloadAgent[]
  /**
   * `false` keeps the collections and fields (the schema never depends on the flag) but adds no
   * endpoints, hooks or jobs. @default true
   */
  enabled?: boolean
  /** Role checks; required when enabled. */
  access?: AgentsAccess
  /** Overrides spread into each collection's config. */
  collectionOverrides?: Partial<Record<AgentCollectionSlug, Partial<CollectionConfig>>>
  /** How long a pending approval stays open. @default 7 days */
  approvalTtlHours?: number
  /** Default model chain for agents whose tenant settings name none. @default each agent's own `model` */
  models?: string[]
  /** Runtime options for every run (providers, extra budget guards). */
  runtime?: { providers?: ProviderRegistry; budgetGuards?: BudgetGuard[] }
  /**
   * pg-boss connection; the same database as Payload by default. @default Payload's database URL
   */
  queueConnectionString?: string
  /** Queue policy (retries, expiry, heartbeats) and pg-boss settings; see @bizosaas/agents/queue. */
  queue?: Pick<AgentQueueOptions, 'policy' | 'policies' | 'pgBoss' | 'schema'>
  /**
   * Rate limits of the run and approval endpoints (the host keys them, e.g. runs per tenant, decisions per
   * user). @default undefined (no limits)
   */
  rateLimit?: AgentsRateLimit
  /** Written with every approval decision, in its transaction (the audit log). @default undefined */
  onDecision?: ApprovalDecisionHook
  /** Told when a run finishes or an approval starts waiting (outgoing webhooks). @default undefined */
  onEvent?: AgentEventHook
  /** Run a worker inside this process (dev). Production runs `pnpm worker` processes instead. */
  worker?: { inProcess?: boolean; concurrency?: number }
}

export type AgentCollectionSlug = 'agent-runs' | 'agent-steps' | 'approvals' | 'agent-settings'
