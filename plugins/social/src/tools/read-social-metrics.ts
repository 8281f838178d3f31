/**
 * `read-social-metrics`: the tenant's published posts of the last 7 or 28 days with their stored
 * metrics. Each result is kept for the run, so `social-insights` can check that every number its
 * summary states came from here.
 */
import { defineTool } from '@bizosaas/agents'
import { payloadOf, recordedToolOutputs, tenantRef } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'
import { z } from 'zod'
import { type SocialMetricsReport, socialMetricsReport } from '../agents/metrics.ts'

export const READ_METRICS_TOOL = 'read-social-metrics'

/** Results of this process's runs; a run resumed elsewhere reads the tool calls the agents plugin recorded. */
const kept = new Map<string, { at: number; reports: SocialMetricsReport[] }>()
const KEEP_MS = 6 * 3600_000

function keep(runId: string, report: SocialMetricsReport) {
  const now = Date.now()
  for (const [id, entry] of kept) if (now - entry.at > KEEP_MS) kept.delete(id)
  const entry = kept.get(runId) ?? { at: now, reports: [] }
  entry.reports.push(report)
  kept.set(runId, entry)
}

/** What `read-social-metrics` returned in run `runId`. */
export async function metricsOfRun(payload: Payload, runId: string): Promise<SocialMetricsReport[]> {
  const own = kept.get(runId)
  if (own) return own.reports
  return (await recordedToolOutputs(payload, runId))
    .filter((call) => call.tool === READ_METRICS_TOOL)
    .map((call) => call.output as SocialMetricsReport)
}

export function forgetMetrics(runId: string) {
  kept.delete(runId)
}

const totals = {
  impressions: z.number(),
  likes: z.number(),
  reposts: z.number(),
  replies: z.number(),
  clicks: z.number(),
  engagements: z.number().describe('likes + reposts + replies + clicks'),
}

export const readSocialMetricsTool = defineTool({
  id: READ_METRICS_TOOL,
  description:
    "Reads this tenant's social posts published in the last 7 or 28 days with their metrics: totals, per platform (with engagement rate in %), the top 5 posts, and the hour and weekday (UTC) whose posts drew the most engagements on average. Every number you state must come from here.",
  input: z.object({ days: z.union([z.literal(7), z.literal(28)]).describe('The window: 7 or 28 days') }),
  output: z.object({
    days: z.number(),
    published: z.number().describe('Variants published in the window'),
    totals: z.object(totals),
    byPlatform: z.array(
      z.object({ platform: z.string(), posts: z.number(), ...totals, engagementRatePct: z.number().nullable() }),
    ),
    topPosts: z.array(
      z.object({
        post: z.union([z.number(), z.string()]),
        title: z.string(),
        platforms: z.array(z.string()),
        ...totals,
      }),
    ),
    bestHourUtc: z.object({ hour: z.number(), posts: z.number(), avgEngagements: z.number() }).nullable(),
    bestWeekday: z.object({ weekday: z.string(), posts: z.number(), avgEngagements: z.number() }).nullable(),
  }),
  execute: async ({ days }, ctx) => {
    const report = await socialMetricsReport(payloadOf(ctx.services), tenantRef(ctx.tenant), days)
    keep(ctx.runId, report)
    return report
  },
})
