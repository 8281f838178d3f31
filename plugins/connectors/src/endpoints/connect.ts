/**
 * `POST /api/connectors/:connector/connect` {tenant, name?, credentials}: connects an account that needs
 * no consent page (API keys and app passwords, client credentials, service-account keys). The
 * credentials are tested first and stored (sealed) only when the test passes; otherwise a 400 with the
 * provider's reason. OAuth consent flows start at `/authorize` instead.
 */
import type { Endpoint } from 'payload'
import { z } from 'zod'
import { saveConnection, testUnsaved } from '../connections.ts'
import { ConnectionError } from '../define.ts'
import { findConnector } from '../registry.ts'
import { HttpError, handle, parse, readJson, requireManager, requireUser, tenantIdSchema } from './http.ts'

const bodySchema = z.object({
  tenant: tenantIdSchema,
  name: z.string().trim().min(1, 'name must not be empty').max(120, 'name is at most 120 characters').optional(),
  credentials: z.unknown(),
})

const clientCredentialsSchema = z.object({
  clientId: z.string().trim().min(1, 'Enter the client id').max(500),
  clientSecret: z.string().trim().min(1, 'Enter the client secret').max(4096),
})

/** A key file may come as the parsed JSON or as its text. */
const keyFile = (value: unknown) => {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    throw new HttpError(
      400,
      'credentials: the service-account key is not valid JSON (upload the key file as it was downloaded)',
    )
  }
}

export const connectEndpoint: Endpoint = {
  path: '/connectors/:connector/connect',
  method: 'post',
  handler: handle(async (req) => {
    requireUser(req)
    const body = parse(bodySchema, await readJson(req))
    await requireManager(req, body.tenant)
    const id = String(req.routeParams?.connector ?? '')
    const connector = findConnector(req.payload, id)
    if (!connector) throw new HttpError(404, `No connector "${id.slice(0, 60)}"`)
    const auth = connector.auth
    if (auth.type === 'oauth2' && auth.grant === 'authorization_code')
      throw new HttpError(
        400,
        `${connector.name} connects through its consent page: use /api/connectors/${id}/authorize`,
      )
    if (body.credentials === undefined || body.credentials === null)
      throw new HttpError(
        400,
        `credentials: enter the ${auth.type === 'service-account' ? 'service-account key' : 'credentials'} for ${connector.name}`,
      )
    const credentials =
      auth.type === 'credentials'
        ? parseNamed(auth.schema, body.credentials)
        : auth.type === 'service-account'
          ? parseNamed(auth.key, keyFile(body.credentials))
          : parseNamed(clientCredentialsSchema, body.credentials)
    const { result, tokens } = await testUnsaved(req.payload, { tenant: body.tenant, connector, credentials })
    if (!result.ok)
      throw new HttpError(400, `${connector.name} refused these credentials: ${result.message}`, { test: result })
    try {
      const connection = await saveConnection(req.payload, {
        tenant: body.tenant,
        connector: connector.id,
        name: body.name,
        credentials,
        tokens,
        account: result.account ?? null,
        user: (req.user as { id?: number | string } | null)?.id ?? null,
      })
      return Response.json({ connection, test: result }, { status: 201 })
    } catch (error) {
      if (error instanceof ConnectionError && error.code === 'error') throw new HttpError(400, error.message)
      throw error
    }
  }),
}

function parseNamed<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  throw new HttpError(400, `credentials${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`)
}
