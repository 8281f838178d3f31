/**
 * Next.js start-up hook of the portal server: in production it checks the settings before anything is
 * served, so a missing or bad variable stops the process with one message naming each of them.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return
  const { assertPortalEnv } = await import('./lib/env')
  assertPortalEnv()
}
