/**
 * One side of the rate-limit bench, started by ./run.ts: our CMS config (cms/src/config.ts) in
 * production mode on the bench database, with RATE_LIMITS from the environment (on or off), served over
 * node:http by `servePayloadRest` (Payload's real REST route handlers, as the e2e suites serve them).
 * Prints `BENCH {"url": …}` once listening; SIGTERM stops it.
 */

import { servePayloadRest } from '@bizosaas/cms/test'
import { getPayload } from 'payload'

const { default: config } = await import('@bizosaas/cms/payload-config')
const sanitized = await config
const payload = await getPayload({ config: sanitized })
const server = await servePayloadRest(sanitized)
process.stdout.write(`BENCH ${JSON.stringify({ url: server.url })}\n`)

process.once('SIGTERM', async () => {
  await server.close()
  await payload.destroy().catch(() => {})
  process.exit(0)
})
