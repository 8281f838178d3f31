/** `GET /api/agents` and `POST /api/agents/:slug/runs`. */

import type { Endpoint } from 'payload'
import { z } from 'zod'
import { pluginConfigOf } from '../config.ts'
import { TRIGGER_KIND } from '../constants.ts'
import { AgentsError } from '../errors.ts'
import { agentRegistry, hostedAgents } from '../registry.ts'
import { startRun } from '../runs/start.ts'
import { agentsHealth } from '../store/health.ts'
import { loadSettings } from '../store/settings.ts'
import { handle, readJson } from './http.ts'
import { enforceRateLimit } from './rate-limit.ts'
import { accessOf, requireUser, resolveTenant } from './tenant.ts'

/** The agents the caller's tenant has enabled, with their input and output JSON Schemas and whether they run on a cron. */
export const listAgentsEndpoint: Endpoint = {
  path: '/agents',
  method: 'get',
  handler: handle(async (req) => {
    requireUser(req)
    const config = pluginConfigOf(req.payload)
    const access = accessOf(config)
    const tenant = resolveTenant(req, access)
    // What the caller may do in this tenant, so clients (admin, portal) offer only what will be allowed.
    const can = {
      run: await access.run({ req, tenant }),
      review: await access.review({ req, tenant }),
      configure: await access.configure({ req, tenant }),
    }
    const listing = new Map(
      agentRegistry(req.payload)
        .list()
        .map((a) => [a.slug, a]),
    )
    const agents = []
    for (const hosted of hostedAgents(req.payload)) {
      const settings = await loadSettings(req.payload, tenant, hosted.agent.slug)
      if (settings?.enabled === false) continue
      agents.push({
        ...listing.get(hosted.agent.slug),
        label: hosted.label ?? humanize(hosted.agent.slug),
        targets: hosted.targets ?? [],
        // Offer the cron field only where saving one is accepted.
        schedulable: Boolean(hosted.schedule),
        defaultCron: hosted.schedule?.defaultCron ?? null,
        scheduleDescription: hosted.schedule?.description ?? null,
        settings: settings
          ? {
              models: settings.models ?? [],
              monthlyBudgetUsd: settings.monthlyBudgetUsd ?? null,
              approvalPolicy: settings.approvalPolicy ?? 'default',
              schedule: settings.schedule || null,
            }
          : null,
      })
    }
    return Response.json({ tenant, can, agents })
  }),
}

/** `blog-draft` → `Blog draft`. */
const humanize = (slug: string) => slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase())

const startRunBody = z.object({
  input: z.unknown().describe('The agent input; see the agent’s inputSchema'),
  tenant: z.union([z.number(), z.string()]).optional(),
  dedupeKey: z.string().max(200).optional(),
})

/** Validates and enqueues a run; 202 with the run id. */
export const startRunEndpoint: Endpoint = {
  path: '/agents/:slug/runs',
  method: 'post',
  handler: handle(async (req) => {
    requireUser(req)
    const config = pluginConfigOf(req.payload)
    const access = accessOf(config)
    const body = startRunBody.safeParse(await readJson(req))
    if (!body.success) throw new AgentsError(400, 'Send JSON like {"input": {...}}', { issues: body.error.issues })
    const tenant = resolveTenant(req, access, body.data.tenant)
    if (!(await access.run({ req, tenant }))) throw new AgentsError(403, 'Your role in this tenant cannot run agents.')
    // Counted per tenant only once the caller may run agents there, so nobody else can use up its allowance.
    await enforceRateLimit(req, { action: 'start-run', tenant })
    const slug = String(req.routeParams?.slug ?? '')
    const { run, deduplicated } = await startRun(req.payload, {
      agent: slug,
      input: body.data.input ?? {},
      tenant,
      trigger: { kind: TRIGGER_KIND.manual, user: req.user!.id },
      dedupeKey: body.data.dedupeKey,
      req,
    })
    return Response.json(
      { id: run.id, runId: run.runId, status: run.status, deduplicated, events: `/api/agent-runs/${run.id}/events` },
      { status: 202 },
    )
  }),
}

/** Queue health: the pg-boss queues for platform admins, the tenant's runs by state for members. */
export const queueHealthEndpoint: Endpoint = {
  path: '/agents/queues',
  method: 'get',
  handler: handle(async (req) => {
    requireUser(req)
    const health = await agentsHealth(req.payload, req)
    if (!health) throw new AgentsError(404, 'The agents plugin is disabled.')
    return Response.json(health, { headers: { 'cache-control': 'no-store' } })
  }),
}
