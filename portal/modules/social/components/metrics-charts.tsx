'use client'
/** Social metrics as bars: per variant of one post, per platform, per post (impressions apart: they dwarf the rest). */
import type { SocialMetrics } from '@lib/data/social'
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

export type MetricsRow = { name: string } & SocialMetrics

const ENGAGEMENT = [
  ['likes', 'Likes', '#1d4ed8'],
  ['reposts', 'Reposts', '#047857'],
  ['replies', 'Replies', '#f59e0b'],
  ['clicks', 'Clicks', '#7c3aed'],
] as const

export function MetricsChart({ title, rows, chart }: { title: string; rows: MetricsRow[]; chart: string }) {
  return (
    <div className="chart" data-chart={chart}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="note">No metrics yet: they are collected a day and a week after publishing.</p>
      ) : (
        <div className="grid2">
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="impressions" name="Impressions" fill="#64748b" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              {ENGAGEMENT.map(([key, name, fill]) => (
                <Bar key={key} dataKey={key} name={name} fill={fill} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  )
}
