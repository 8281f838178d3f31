/**
 * Metabase static embedding: a server-signed JWT per dashboard with the tenant as a locked parameter
 * and a 10-minute expiry, so a viewer can neither pick another tenant nor keep the link.
 */
import { SignJWT } from 'jose'

export const EMBED_TTL_SECONDS = 600

export interface DashboardEmbed {
  siteUrl: string
  secretKey: string
  dashboard: number
  tenant: string | number
  /** Seconds since the epoch; injectable for tests. @default now */
  now?: number
}

/** The signed token: `{ resource: { dashboard }, params: { tenant }, exp: now + 600 }`, HS256. */
export async function signDashboardToken(embed: DashboardEmbed): Promise<string> {
  const now = embed.now ?? Math.floor(Date.now() / 1000)
  return new SignJWT({ resource: { dashboard: embed.dashboard }, params: { tenant: String(embed.tenant) } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + EMBED_TTL_SECONDS)
    .sign(new TextEncoder().encode(embed.secretKey))
}

/** The iframe URL of the dashboard for this tenant. */
export async function dashboardEmbedUrl(embed: DashboardEmbed): Promise<string> {
  const token = await signDashboardToken(embed)
  return `${embed.siteUrl.replace(/\/+$/, '')}/embed/dashboard/${token}#bordered=false&titled=true`
}
