/**
 * The connectors' offline outside services in `pnpm dev` and `pnpm start` (as the mock LLM is for models):
 * which ports they take, and the settings that point the CMS at them — only where no real account is
 * configured (a real SMTP_URL, or a real OAuth app of a Google connector, is left alone).
 */
import { mockServicesEnv } from '@bizosaas/plugin-connectors/testing/mock-services'
import { socialMockServicesEnv } from '@bizosaas/plugin-social/testing/mock-services'
import type { DevEnv } from './env.ts'

export interface MockServicesPlan {
  /** [port, name, variable] of each mock, for the "port in use" checks. */
  ports: [number, string, string][]
  /** Settings for the CMS and the workers: the mocks' URLs where nothing real is set. */
  cmsEnv: Record<string, string>
  /** One line for the banner. */
  summary: string
}

/** `undefined` when MOCK_SERVICES=off. */
export function mockServicesPlan(env: DevEnv, source: NodeJS.ProcessEnv = process.env): MockServicesPlan | undefined {
  if (env.MOCK_SERVICES === 'off') return undefined
  const ports = {
    oauth: env.MOCK_OAUTH_PORT,
    google: env.MOCK_GOOGLE_PORT,
    webhooks: env.MOCK_WEBHOOKS_PORT,
    social: env.MOCK_SOCIAL_PORT,
    smtp: env.MOCK_SMTP_PORT,
  }
  const all = { ...mockServicesEnv(ports), ...socialMockServicesEnv(ports) }
  // A connector whose real OAuth app is configured keeps all of its real settings.
  const realApps = Object.keys(source)
    .filter((key) => /^CONNECTOR_[A-Z0-9_]+_CLIENT_ID$/.test(key) && source[key])
    .map((key) => key.replace(/_CLIENT_ID$/, '_'))
  const cmsEnv = Object.fromEntries(
    Object.entries(all).filter(([key]) => {
      if (source[key]) return false
      if ((key === 'SMTP_URL' || key === 'MAIL_FROM') && source.SMTP_URL) return false
      return !realApps.some((prefix) => key.startsWith(prefix))
    }),
  )
  return {
    ports: [
      [ports.oauth, 'mock OAuth provider', 'MOCK_OAUTH_PORT'],
      [ports.google, 'mock Google APIs', 'MOCK_GOOGLE_PORT'],
      [ports.webhooks, 'mock webhook receiver', 'MOCK_WEBHOOKS_PORT'],
      [ports.social, 'mock social APIs', 'MOCK_SOCIAL_PORT'],
      [ports.smtp, 'mock SMTP server', 'MOCK_SMTP_PORT'],
    ],
    cmsEnv,
    summary: `OAuth :${ports.oauth}, Google APIs :${ports.google}, webhooks :${ports.webhooks}, social APIs :${ports.social}, SMTP :${ports.smtp}${cmsEnv.SMTP_URL ? ' (platform mail lands here)' : ''}`,
  }
}

/** The env of the `pnpm mock-services` process. */
export function mockServicesProcessEnv(env: DevEnv, portalUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORTAL_URL: portalUrl,
    MOCK_OAUTH_PORT: String(env.MOCK_OAUTH_PORT),
    MOCK_GOOGLE_PORT: String(env.MOCK_GOOGLE_PORT),
    MOCK_WEBHOOKS_PORT: String(env.MOCK_WEBHOOKS_PORT),
    MOCK_SOCIAL_PORT: String(env.MOCK_SOCIAL_PORT),
    MOCK_SMTP_PORT: String(env.MOCK_SMTP_PORT),
  }
}
