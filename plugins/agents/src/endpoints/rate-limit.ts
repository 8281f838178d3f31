/** The host's rate limit (`rateLimit` option) applied to an endpoint: over it, a 429 with `Retry-After`. */
import type { PayloadRequest } from 'payload'
import { pluginConfigOf } from '../config.ts'
import { AgentsError } from '../errors.ts'
import type { AgentsRateLimit } from '../types.ts'

export async function enforceRateLimit(
  req: PayloadRequest,
  args: Omit<Parameters<AgentsRateLimit>[0], 'req'>,
): Promise<void> {
  const limit = pluginConfigOf(req.payload).rateLimit
  const refusal = limit ? await limit({ req, ...args }) : null
  if (refusal)
    throw new AgentsError(
      429,
      refusal.message,
      { retryAfterSeconds: refusal.retryAfterSeconds },
      { 'retry-after': String(refusal.retryAfterSeconds) },
    )
}
