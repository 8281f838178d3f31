/**
 * Queue health for the admin dashboard and `GET /api/agents/queues`. Platform admins see the pg-boss
 * queues (shared by every tenant); tenant members see their own tenants' runs by state.
 */
import type { QueueHealth } from '@bizosaas/agents/queue'
import type { Payload, PayloadRequest } from 'payload'
import { pluginConfigOf } from '../config.ts'
import { APPLY_QUEUE } from '../constants.ts'
import { hostedAgents } from '../registry.ts'
import type { Id } from '../types.ts'
import { agentQueueOf } from './queue.ts'
import { applyQueueCounts, tenantRunCounts } from './stats.ts'

export interface PlatformQueueHealth {
  scope: 'platform'
  /** One row per agent queue, then the apply queue. */
  queues: Array<Omit<QueueHealth, 'agent'> & { agent: string | null }>
}

export interface TenantRunHealth {
  scope: 'tenant'
  tenants: Id[]
  /** One row per agent: this tenant's runs that are waiting, running, waiting for a person, or failed in the last 24 h. */
  agents: Array<{ agent: string; queued: number; running: number; awaitingApproval: number; failed24h: number }>
}

export type AgentsHealth = PlatformQueueHealth | TenantRunHealth

/** What `req.user` may see of the agents' queues; `null` when signed out or the plugin is disabled. */
export async function agentsHealth(
  payload: Payload,
  req: Pick<PayloadRequest, 'user' | 'payload'>,
): Promise<AgentsHealth | null> {
  if (!req.user) return null
  const config = pluginConfigOf(payload)
  if (!config.enabled || !config.access) return null
  const tenants = config.access.tenantsOf(req as PayloadRequest)
  if (tenants === 'all') {
    const queue = agentQueueOf(payload, config)
    const agents = await queue.getQueueHealth()
    const apply = await applyQueueCounts(payload, config.queue?.schema ?? 'pgboss', APPLY_QUEUE)
    return {
      scope: 'platform',
      queues: [...agents, { agent: null, queue: APPLY_QUEUE, deadLetterQueue: '', deadLettered: 0, ...apply }],
    }
  }
  const counts = await tenantRunCounts(payload, tenants)
  return {
    scope: 'tenant',
    tenants,
    agents: hostedAgents(payload).map(({ agent }) => ({
      agent: agent.slug,
      queued: 0,
      running: 0,
      awaitingApproval: 0,
      failed24h: 0,
      ...counts.get(agent.slug),
    })),
  }
}
