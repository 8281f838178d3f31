import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import { listPublishedPosts, metricsByPlatform } from '@lib/data/social'
import { requireTenantAndLoad } from '@lib/session'
import { MetricsChart } from '@modules/social/components/metrics-charts'
import Link from 'next/link'

/** How the published posts did: per platform, and per post (the last 30). */
export default async function SocialMetricsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant, data } = await requireTenantAndLoad((await params).tenant, (token, id) =>
    listPublishedPosts(token, id),
  )
  const posts = await data
  const platforms = metricsByPlatform(posts)
  return (
    <>
      <p>
        <Link href={`/t/${tenant.id}/social`}>← Calendar</Link>
      </p>
      <h1>Social metrics</h1>
      <MetricsChart
        chart="platforms"
        title="Per platform"
        rows={platforms.map((p) => ({ name: PLATFORM_RULES[p.platform].name, ...p.metrics }))}
      />
      <MetricsChart
        chart="posts"
        title="Per post (latest 30)"
        rows={posts.map((p) => ({ name: p.title.slice(0, 24), ...p.metrics }))}
      />
      <table>
        <thead>
          <tr>
            <th>Post</th>
            <th>Impressions</th>
            <th>Likes</th>
            <th>Reposts</th>
            <th>Replies</th>
            <th>Clicks</th>
          </tr>
        </thead>
        <tbody>
          {posts.map((p) => (
            <tr key={p.id}>
              <td>
                <Link href={`/t/${tenant.id}/social/posts/${p.id}`}>{p.title}</Link>
              </td>
              <td>{p.metrics.impressions}</td>
              <td>{p.metrics.likes}</td>
              <td>{p.metrics.reposts}</td>
              <td>{p.metrics.replies}</td>
              <td>{p.metrics.clicks}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
