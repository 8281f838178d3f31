/**
 * The CMS's rate limits driven past their edges over real HTTP (Payload's REST route handlers behind
 * node:http, a real PostgreSQL with the migrated `rate_limits` table): sign-in per email and per IP,
 * Payload's own lock answered the same way, forgot-password, agent run starts per tenant and approval
 * decisions per user. Small limits (set below as the RATE_LIMIT_* variables) keep the floods short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../seed/data.ts'
import { seed } from '../seed/index.ts'
import { startTestCms, type TestCms } from '../test/harness.ts'
import { type PayloadRestServer, servePayloadRest } from '../test/rest-server.ts'

let cms: TestCms
let rest: PayloadRestServer
const tenants = { a: 0, b: 0 }
const tokens: Record<string, string> = {}

interface Answer {
  status: number
  retryAfter: number | null
  message: string
  body: Record<string, unknown>
}

/** POST over HTTP as a client behind the one trusted proxy, which wrote `ip` into X-Forwarded-For. */
async function post(path: string, body: unknown, options: { ip?: string; token?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.ip) headers['x-forwarded-for'] = options.ip
  if (options.token) headers.authorization = `JWT ${options.token}`
  const res = await fetch(`${rest.url}/api${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
  const json = (await res.json()) as Record<string, unknown> & { errors?: { message: string }[]; error?: string }
  const retryAfter = res.headers.get('retry-after')
  return {
    status: res.status,
    retryAfter: retryAfter === null ? null : Number(retryAfter),
    message: json.errors?.[0]?.message ?? json.error ?? String(json.message ?? ''),
    body: json,
  }
}

const signIn = (email: string, password: string, ip?: string) => post('/users/login', { email, password }, { ip })

beforeAll(async () => {
  Object.assign(process.env, {
    RATE_LIMITS: 'on',
    TRUSTED_PROXY_COUNT: '1',
    RATE_LIMIT_SIGN_IN_EMAIL: '3/15m',
    RATE_LIMIT_SIGN_IN_IP: '6/1h',
    RATE_LIMIT_FORGOT_PASSWORD_EMAIL: '2/1h',
    RATE_LIMIT_FORGOT_PASSWORD_IP: '4/1h',
    RATE_LIMIT_AGENT_RUNS: '3/1m',
    RATE_LIMIT_APPROVALS: '3/1m',
  })
  cms = await startTestCms('rate_limit')
  await seed(cms.payload)
  rest = await servePayloadRest(cms.config)
  const found = await cms.payload.find({ collection: 'tenants', depth: 0 })
  tenants.a = found.docs.find((t) => t.slug === 'bizoholic')!.id as number
  tenants.b = found.docs.find((t) => t.slug === 'coreldove')!.id as number
  for (const who of ['owner@bizoholic.dev', 'owner@coreldove.dev', 'manager@bizoholic.dev'])
    tokens[who] = (await signIn(who, DEMO_PASSWORD, '10.0.0.1')).body.token as string
})

afterAll(async () => {
  await rest?.close()
  await cms?.close()
})

describe('sign-in', () => {
  it('refuses an email after 3 failures with 429, Retry-After and a message, even with the right password', async () => {
    const email = 'manager@coreldove.dev'
    for (let i = 0; i < 3; i++) expect((await signIn(email, 'wrong-password', `10.1.0.${i}`)).status).toBe(401)
    const refused = await signIn(email, DEMO_PASSWORD, '10.1.0.9')
    expect(refused.status).toBe(429)
    expect(refused.retryAfter).toBeGreaterThan(14 * 60)
    expect(refused.retryAfter).toBeLessThanOrEqual(15 * 60)
    expect(refused.message).toBe('Too many sign-in attempts for this email; try again in 15 minutes.')
    // Another email from the same addresses is not affected.
    expect((await signIn('client@coreldove.dev', DEMO_PASSWORD, '10.1.0.9')).status).toBe(200)
  })

  it('a successful sign-in resets the email’s failures', async () => {
    const email = 'client@bizoholic.dev'
    // Each round from its own address (the IP's failures are not reset by success, only the email's).
    for (let round = 0; round < 3; round++) {
      const ip = `10.2.0.${round}`
      for (let i = 0; i < 2; i++) expect((await signIn(email, 'wrong-password', ip)).status).toBe(401)
      expect((await signIn(email, DEMO_PASSWORD, ip)).status).toBe(200)
    }
  })

  it('refuses an IP after 6 failed sign-ins, whatever the emails; other IPs still sign in', async () => {
    const ip = '203.0.113.7'
    // Successful sign-ins from the address do not count.
    expect((await signIn('owner@coreldove.dev', DEMO_PASSWORD, ip)).status).toBe(200)
    for (let i = 0; i < 6; i++) expect((await signIn(`nobody-${i}@example.com`, 'x', ip)).status).toBe(401)
    const refused = await signIn('owner@coreldove.dev', DEMO_PASSWORD, ip)
    expect(refused.status).toBe(429)
    expect(refused.message).toBe('Too many sign-in attempts from your network; try again in 60 minutes.')
    expect(refused.retryAfter).toBeGreaterThan(3500)
    // The email itself was not counted by the refused attempt: it signs in from elsewhere.
    expect((await signIn('owner@coreldove.dev', DEMO_PASSWORD, '198.51.100.1')).status).toBe(200)
  })

  it('answers Payload’s own account lock the same way, with the lock’s remaining time', async () => {
    const email = 'manager@bizoholic.dev'
    const user = (await cms.payload.find({ collection: 'users', where: { email: { equals: email } } })).docs[0]!
    // As Payload leaves an account after maxLoginAttempts failures: locked for another 4 minutes.
    await cms.payload.db.updateOne({
      collection: 'users',
      id: user.id,
      data: { loginAttempts: 10, lockUntil: new Date(Date.now() + 4 * 60_000).toISOString() },
    })
    const refused = await signIn(email, DEMO_PASSWORD, '10.3.0.1')
    expect(refused.status).toBe(429)
    expect(refused.retryAfter).toBeGreaterThan(200)
    expect(refused.retryAfter).toBeLessThanOrEqual(240)
    expect(refused.message).toBe('Too many sign-in attempts for this email; try again in 4 minutes.')
    await cms.payload.db.updateOne({ collection: 'users', id: user.id, data: { loginAttempts: 0, lockUntil: null } })
    expect((await signIn(email, DEMO_PASSWORD, '10.3.0.1')).status).toBe(200)
  })

  it('GraphQL sign-in spends the same allowance', async () => {
    const email = 'nobody-graphql@example.com'
    for (let i = 0; i < 3; i++) expect((await signIn(email, 'x')).status).toBe(401)
    const res = await cms.graphql(`mutation { loginUser(email: "${email}", password: "x") { token } }`)
    expect(res.errors?.[0]?.message).toBe('Too many sign-in attempts for this email; try again in 15 minutes.')
  })
})

describe('forgot-password', () => {
  it('refuses an email after 2 requests and an IP after 4', async () => {
    const ip = '192.0.2.50'
    for (let i = 0; i < 2; i++)
      expect((await post('/users/forgot-password', { email: 'owner@bizoholic.dev' }, { ip })).status).toBe(200)
    const perEmail = await post('/users/forgot-password', { email: 'owner@bizoholic.dev' }, { ip: '192.0.2.51' })
    expect(perEmail.status).toBe(429)
    expect(perEmail.retryAfter).toBeGreaterThan(3500)
    expect(perEmail.message).toBe(
      'Too many password reset requests for this email; use the link in the last email we sent, or try again in 60 minutes.',
    )
    // The IP has spent 2; two more emails pass, the third is refused for the network.
    for (const email of ['a@example.com', 'b@example.com'])
      expect((await post('/users/forgot-password', { email }, { ip })).status).toBe(200)
    const perIp = await post('/users/forgot-password', { email: 'c@example.com' }, { ip })
    expect(perIp.status).toBe(429)
    expect(perIp.message).toBe('Too many password reset requests from your network; try again in 60 minutes.')
  })
})

describe('agents', () => {
  const startRun = (who: string, tenant: number, postId: number) =>
    post(
      '/agents/seo-meta/runs',
      { tenant, input: { target: { collection: 'posts', id: postId } } },
      { token: tokens[who] },
    )
  const firstPost = async (tenant: number) =>
    (await cms.payload.find({ collection: 'posts', where: { tenant: { equals: tenant } }, depth: 0, limit: 1 }))
      .docs[0]!.id as number

  it('limits run starts per tenant: tenant A’s flood does not block tenant B', async () => {
    const postA = await firstPost(tenants.a)
    const postB = await firstPost(tenants.b)
    for (let i = 0; i < 3; i++) {
      const started = await startRun('owner@bizoholic.dev', tenants.a, postA)
      expect(started.status, started.message).toBe(202)
    }
    const refused = await startRun('owner@bizoholic.dev', tenants.a, postA)
    expect(refused.status).toBe(429)
    expect(refused.retryAfter).toBeGreaterThan(0)
    expect(refused.retryAfter).toBeLessThanOrEqual(60)
    expect(refused.message).toMatch(
      /^This tenant has started too many agent runs in a short time; try again in (\d+ seconds?|1 minute)\.$/,
    )
    // Another user of tenant A is refused too (the allowance is the tenant's) …
    expect((await startRun('manager@bizoholic.dev', tenants.a, postA)).status).toBe(429)
    // … while tenant B starts runs as usual.
    expect((await startRun('owner@coreldove.dev', tenants.b, postB)).status).toBe(202)
  })

  it('limits approval decisions per user', async () => {
    const run = (
      await cms.payload.find({ collection: 'agent-runs', where: { tenant: { equals: tenants.a } }, depth: 0, limit: 1 })
    ).docs[0]!
    const approvals: number[] = []
    for (let i = 0; i < 5; i++) {
      const approval = await cms.payload.create({
        collection: 'approvals',
        data: {
          tenant: tenants.a,
          agentRun: run.id,
          runId: `rate-limit-test-${i}`,
          agent: 'seo-meta',
          status: 'pending',
          proposed: { metaTitle: 'x' },
        } as never,
      })
      approvals.push(approval.id as number)
    }
    const reject = (who: string, id: number) =>
      post(`/approvals/${id}/reject`, { feedback: 'Not this one', tenant: tenants.a }, { token: tokens[who] })
    for (const id of approvals.slice(0, 3)) expect((await reject('owner@bizoholic.dev', id)).status).toBe(200)
    const refused = await reject('owner@bizoholic.dev', approvals[3]!)
    expect(refused.status).toBe(429)
    expect(refused.retryAfter).toBeGreaterThan(0)
    expect(refused.message).toMatch(/^You have approved or rejected too many proposals in a short time; try again in/)
    // Refused means untouched; another reviewer of the tenant decides it.
    const untouched = await cms.payload.findByID({ collection: 'approvals', id: approvals[3]!, depth: 0 })
    expect(untouched.status).toBe('pending')
    expect((await reject('manager@bizoholic.dev', approvals[3]!)).status).toBe(200)
    expect(
      (
        await post(
          `/approvals/${approvals[4]}/approve`,
          { tenant: tenants.a },
          { token: tokens['owner@bizoholic.dev'] },
        )
      ).status,
    ).toBe(429)
  })
})
