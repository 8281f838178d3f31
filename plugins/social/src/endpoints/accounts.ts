/**
 * `GET /api/social/accounts/targets?tenant=&connection=` — the profiles, pages and organisations a
 * connection may post as (asked of the platform through the connection), each marked when already added;
 * `POST /api/social/accounts` {tenant, connection, targetId, platform?} — adds one as a social account,
 * after the platform confirms the connection can post as it. Tenant admins only.
 */
import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import { connectionClient } from '@bizosaas/plugin-connectors'
import type { Endpoint, Payload, PayloadRequest } from 'payload'
import { z } from 'zod'
import { requireAccountManager } from '../access.ts'
import { SERVICE_WRITE } from '../collections/fields.ts'
import { SOCIAL_ACCOUNTS } from '../constants.ts'
import { socialConfigOf } from '../defaults.ts'
import { SocialError } from '../errors.ts'
import type { SocialTarget } from '../platforms/define.ts'
import type { Doc } from '../posts.ts'
import { handle, idSchema, parse, queryOf, readJson, tenantSchema } from './http.ts'

async function connectionOf(payload: Payload, req: PayloadRequest, tenant: number, connection: number) {
  const { docs } = await payload.find({
    collection: 'connections' as never,
    where: { and: [{ id: { equals: connection } }, { tenant: { equals: tenant } }] },
    depth: 0,
    limit: 1,
    overrideAccess: true,
    req,
  })
  const row = docs[0] as Doc | undefined
  if (!row)
    throw new SocialError(
      404,
      `No connection ${connection} in this tenant; connect the account under Integrations first.`,
    )
  return row
}

/** Every target the connection may post as, on each platform that posts with its connector. */
async function targetsOf(payload: Payload, tenant: number, connection: Doc, signal?: AbortSignal) {
  const platforms = socialConfigOf(payload).platforms.filter((p) => p.connector === connection.connector)
  if (!platforms.length)
    throw new SocialError(
      422,
      `The ${connection.connector} connection "${connection.name}" is not one social posts can be made with; connect X, LinkedIn, Facebook, Bluesky or Mastodon.`,
    )
  if (connection.status !== 'connected')
    throw new SocialError(
      409,
      `The connection "${connection.name}" is disconnected; reconnect it under Integrations first.`,
    )
  const client = await connectionClient(payload, {
    tenant,
    connector: connection.connector,
    connection: connection.id,
    signal,
  })
  const found: (SocialTarget & { platform: string })[] = []
  for (const platform of platforms)
    for (const target of await platform.targets(client, signal)) found.push({ ...target, platform: platform.id })
  return found
}

async function existingAccounts(payload: Payload, req: PayloadRequest, tenant: number) {
  const { docs } = await payload.find({
    collection: SOCIAL_ACCOUNTS as never,
    where: { tenant: { equals: tenant } },
    depth: 0,
    limit: 500,
    pagination: false,
    overrideAccess: true,
    req,
  })
  return docs as Doc[]
}

export const accountTargetsEndpoint: Endpoint = {
  path: '/social/accounts/targets',
  method: 'get',
  handler: handle(async (req) => {
    const q = parse(z.object({ tenant: tenantSchema, connection: idSchema('connection') }), queryOf(req))
    await requireAccountManager(req, q.tenant)
    const connection = await connectionOf(req.payload, req, q.tenant, q.connection)
    const targets = await targetsOf(req.payload, q.tenant, connection)
    const accounts = await existingAccounts(req.payload, req, q.tenant)
    return Response.json({
      connection: { id: connection.id, name: connection.name, connector: connection.connector },
      targets: targets.map((t) => ({
        ...t,
        account: accounts.find((a) => a.platform === t.platform && a.targetId === t.id)?.id ?? null,
      })),
    })
  }),
}

const addAccountBody = z.object({
  tenant: tenantSchema,
  connection: idSchema('connection'),
  targetId: z.string().min(1, 'choose the profile or page to post as').max(300),
  platform: z.enum(Object.keys(PLATFORM_RULES) as [string, ...string[]]).optional(),
  name: z.string().trim().min(1).max(200).optional().describe('Overrides the target’s display name'),
})

export const addAccountEndpoint: Endpoint = {
  path: '/social/accounts',
  method: 'post',
  handler: handle(async (req) => {
    const body = parse(addAccountBody, await readJson(req))
    await requireAccountManager(req, body.tenant)
    const connection = await connectionOf(req.payload, req, body.tenant, body.connection)
    const targets = await targetsOf(req.payload, body.tenant, connection)
    const target = targets.find((t) => t.id === body.targetId && (!body.platform || t.platform === body.platform))
    if (!target)
      throw new SocialError(
        422,
        `The connection "${connection.name}" cannot post as ${body.targetId}; choose one of its profiles or pages (${targets.map((t) => t.name).join(', ') || 'none'}).`,
      )
    const existing = (await existingAccounts(req.payload, req, body.tenant)).find(
      (a) => a.platform === target.platform && a.targetId === target.id,
    )
    const name = PLATFORM_RULES[target.platform as keyof typeof PLATFORM_RULES].name
    if (existing)
      throw new SocialError(
        409,
        `The ${name} account ${existing.name} is already added (social account ${existing.id}).`,
      )
    const account = await req.payload.create({
      collection: SOCIAL_ACCOUNTS as never,
      data: {
        tenant: body.tenant,
        platform: target.platform,
        connection: connection.id,
        targetId: target.id,
        targetType: target.type,
        name: body.name ?? target.name,
        handle: target.handle ?? null,
        url: target.url ?? null,
        avatarUrl: target.avatarUrl ?? null,
        active: true,
      } as never,
      depth: 0,
      overrideAccess: true,
      context: { [SERVICE_WRITE]: true },
    })
    return Response.json({ account }, { status: 201 })
  }),
}
