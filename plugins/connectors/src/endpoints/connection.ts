/**
 * `POST /api/connectors/connections/:id/test` and `/disconnect`: a tenant-admin of the connection's
 * tenant tests it (the result is recorded on it) or disconnects it (revoked at the provider when it
 * can be; removed even when revocation fails, which the answer reports).
 */
import type { Endpoint, PayloadRequest } from 'payload'
import { disconnectConnection, poolOf, summaryOf, testConnection } from '../connections.ts'
import { type ConnectionRow, selectConnection } from '../sql.ts'
import { HttpError, handle, isMember, requireManager, requireUser } from './http.ts'

/** The connection named in the path, if the caller may change it (404 when it is not theirs to see). */
async function managedConnection(req: PayloadRequest): Promise<ConnectionRow> {
  requireUser(req)
  const raw = String(req.routeParams?.id ?? '')
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw new HttpError(404, `No connection ${raw.slice(0, 40)}`)
  const row = await selectConnection(poolOf(req.payload), raw)
  if (!row || !isMember(req, row.tenant)) throw new HttpError(404, `No connection ${raw}`)
  await requireManager(req, row.tenant)
  return row
}

export const testConnectionEndpoint: Endpoint = {
  path: '/connectors/connections/:id/test',
  method: 'post',
  handler: handle(async (req) => {
    const row = await managedConnection(req)
    const result = await testConnection(req.payload, row.id)
    const after = await selectConnection(poolOf(req.payload), row.id)
    return Response.json({ result, connection: after ? summaryOf(after) : null })
  }),
}

export const disconnectEndpoint: Endpoint = {
  path: '/connectors/connections/:id/disconnect',
  method: 'post',
  handler: handle(async (req) => {
    const row = await managedConnection(req)
    const outcome = await disconnectConnection(req.payload, row.id)
    return Response.json({ disconnected: true, id: row.id, ...outcome })
  }),
}
