/**
 * The run's live events, relayed from the CMS (`GET /api/agent-runs/:id/events`) with the session's
 * JWT, so the browser never holds the token. The CMS answers 404 for another tenant's run.
 */

import { portalEnv } from '@lib/env'
import { SESSION_COOKIE } from '@lib/session'
import { cookies } from 'next/headers'

export const dynamic = 'force-dynamic'

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  if (!/^\d+$/.test(id)) return Response.json({ error: 'Not a run id' }, { status: 400 })
  const token = (await cookies()).get(SESSION_COOKIE)?.value
  if (!token) return Response.json({ error: 'Sign in first.' }, { status: 401 })
  const upstream = await fetch(`${portalEnv().CMS_URL}/api/agent-runs/${id}/events`, {
    headers: { authorization: `JWT ${token}`, accept: 'text/event-stream' },
    signal: request.signal,
    cache: 'no-store',
  })
  if (!upstream.ok || !upstream.body)
    return Response.json(
      { error: upstream.status === 404 ? `No run ${id}` : 'The CMS refused' },
      { status: upstream.status },
    )
  return new Response(upstream.body, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' },
  })
}
