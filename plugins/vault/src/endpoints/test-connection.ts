/** `POST /api/integrations/:id/test`: checks the stored key against the provider and records the result. */
import type { Endpoint, PayloadRequest, Where } from 'payload'
import { z } from 'zod'
import { INTEGRATIONS_SLUG, INTERNAL_WRITE } from '../constants.ts'
import { VaultKeyError } from '../crypto.ts'
import { vaultConfigOf } from '../defaults.ts'
import { testProviderConnection } from '../providers.ts'
import { type IntegrationRow, openRow } from '../secrets.ts'

const idParam = z.union([z.coerce.number().int().positive(), z.string().regex(/^[0-9a-f-]{1,64}$/i)])
const fail = (status: number, error: string) => Response.json({ error }, { status })

/** True when `manage` access allows this document (a boolean, or a query it must match). */
async function mayManage(req: PayloadRequest, id: number | string): Promise<boolean> {
  const result = await vaultConfigOf(req.payload).access.manage({ req, id: id as number })
  if (typeof result === 'boolean') return result
  const { totalDocs } = await req.payload.count({
    collection: INTEGRATIONS_SLUG as never,
    where: { and: [{ id: { equals: id } }, result as Where] },
    overrideAccess: true,
  })
  return totalDocs > 0
}

export const testConnectionEndpoint: Endpoint = {
  path: '/:id/test',
  method: 'post',
  handler: async (req) => {
    if (!req.user) return fail(401, 'Sign in first.')
    const id = idParam.safeParse(req.routeParams?.id)
    if (!id.success) return fail(400, 'The integration id in the URL is not valid')
    // Read with the caller's access: another tenant's integration is "not found".
    const visible = await req.payload.findByID({
      collection: INTEGRATIONS_SLUG as never,
      id: id.data,
      depth: 0,
      overrideAccess: false,
      user: req.user,
      req,
      disableErrors: true,
    })
    if (!visible) return fail(404, `No integration ${id.data}`)
    if (!(await mayManage(req, id.data)))
      return fail(403, 'Your role in this tenant cannot test integrations; ask a tenant admin.')

    const config = vaultConfigOf(req.payload)
    const row = (await req.payload.findByID({
      collection: INTEGRATIONS_SLUG as never,
      id: id.data,
      depth: 0,
      overrideAccess: true,
    })) as unknown as IntegrationRow
    let secret: string
    try {
      secret = openRow(config.keyring(), row)
    } catch (error) {
      if (error instanceof VaultKeyError) return fail(409, `${error.message}. Save the secret again.`)
      throw error
    }
    const result = await testProviderConnection({
      provider: row.provider,
      baseUrl: row.baseUrl || config.baseUrls[row.provider],
      secret,
      timeoutMs: config.testTimeoutMs,
    })
    const checkedAt = new Date().toISOString()
    await req.payload.update({
      collection: INTEGRATIONS_SLUG as never,
      id: id.data,
      data: { lastTest: { ok: result.ok, message: result.message, checkedAt } } as never,
      overrideAccess: true,
      context: { [INTERNAL_WRITE]: true },
    })
    return Response.json({ id: id.data, ...result, checkedAt })
  },
}
