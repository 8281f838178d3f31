/**
 * `sendMail` and Payload's own emails in the real CMS (Payload on its own migrated database, the
 * connectors plugin offering the built-in `smtp` connector) over real SMTP (two capture servers: the
 * platform's and a tenant's): a tenant with a connected `smtp` connection sends through its own server;
 * one without, or whose connection needs reconnecting, falls back to the platform mailer (SMTP_URL);
 * with neither the error names what to configure; Payload's forgot-password email leaves through
 * SMTP_URL as MAIL_FROM, and its reset link works.
 */
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { markNeedsReconnect, saveConnection } from './connections.ts'
import { closeSmtpTransports } from './connectors/smtp.ts'
import { MailNotConfiguredError, sendMail } from './mail.ts'
import { type SmtpCapture, startSmtpCapture } from './testing/index.ts'

let cms: TestCms
let platform: SmtpCapture
let tenantServer: SmtpCapture
const tenants = { bizoholic: 0, coreldove: 0 }
const PLATFORM_URL = () => platform.url

beforeAll(async () => {
  ;[platform, tenantServer] = await Promise.all([
    startSmtpCapture({ auth: { username: 'platform', password: 'mailer-password' } }),
    startSmtpCapture({ auth: { username: 'owner@bizoholic.dev', password: 'app-password-1' } }),
  ])
  // Read by the CMS config at start (Payload's email adapter) and by sendMail at each call.
  process.env.SMTP_URL = platform.url
  process.env.MAIL_FROM = 'BizOSaaS <no-reply@bizosaas.dev>'
  cms = await startTestCms('mail')
  await seed(cms.payload)
  for (const slug of ['bizoholic', 'coreldove'] as const)
    tenants[slug] = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!
      .id as number
  await saveConnection(cms.payload, {
    tenant: tenants.bizoholic,
    connector: 'smtp',
    name: 'Bizoholic mail',
    credentials: {
      host: '127.0.0.1',
      port: tenantServer.port,
      security: 'none',
      username: 'owner@bizoholic.dev',
      password: 'app-password-1',
      fromName: 'Bizoholic',
      fromAddress: 'hello@bizoholic.dev',
    },
  })
})

afterAll(async () => {
  closeSmtpTransports()
  await cms?.close()
  await Promise.all([platform?.close(), tenantServer?.close()])
})

beforeEach(() => {
  process.env.SMTP_URL = PLATFORM_URL()
})

const message = { to: ['owner@bizoholic.dev'], subject: 'Reconnect Google', text: 'Your Google connection needs you.' }

describe('sendMail', () => {
  it('sends as the tenant through its own SMTP connection, From its address', async () => {
    const sent = await sendMail(cms.payload, {
      ...message,
      tenant: tenants.bizoholic,
      html: '<p>Your Google connection needs you.</p>',
      replyTo: 'support@bizoholic.dev',
      headers: { 'x-bizosaas-notice': 'needs-reconnect' },
    })
    expect(sent.via).toBe('tenant-smtp')
    const got = await tenantServer.waitFor((m) => m.messageId === sent.messageId)
    expect(got.user).toBe('owner@bizoholic.dev')
    expect(got.from?.value[0]).toEqual({ name: 'Bizoholic', address: 'hello@bizoholic.dev' })
    expect(got.replyTo?.text).toBe('support@bizoholic.dev')
    expect(got.headers.get('x-bizosaas-notice')).toBe('needs-reconnect')
    expect(got.html).toContain('<p>Your Google connection needs you.</p>')
    expect(platform.messages.filter((m) => m.subject === 'Reconnect Google')).toHaveLength(0)
  })

  it('falls back to the platform mailer for a tenant without a connection, and without a tenant', async () => {
    for (const tenant of [tenants.coreldove, undefined]) {
      const sent = await sendMail(cms.payload, { ...message, tenant })
      expect(sent.via).toBe('platform')
      const got = await platform.waitFor((m) => m.messageId === sent.messageId)
      expect(got.user).toBe('platform')
      expect(got.from?.value[0]).toEqual({ name: 'BizOSaaS', address: 'no-reply@bizosaas.dev' })
      expect(got.envelope.to).toEqual(['owner@bizoholic.dev'])
      expect(got.text?.trim()).toBe('Your Google connection needs you.')
    }
  })

  it('names what to configure when no mailer exists, and passes on a refused recipient', async () => {
    delete process.env.SMTP_URL
    const error = await sendMail(cms.payload, { ...message, tenant: tenants.coreldove }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MailNotConfiguredError)
    expect((error as Error).message).toBe(
      `No mailer is configured: set SMTP_URL (and MAIL_FROM) for the platform, or connect an SMTP account for tenant ${tenants.coreldove}`,
    )

    process.env.SMTP_URL = 'http://mail.example.com'
    await expect(sendMail(cms.payload, message)).rejects.toThrow('SMTP_URL must be an SMTP URL')

    process.env.SMTP_URL = PLATFORM_URL()
    platform.faults.rejectRecipients = true
    await expect(sendMail(cms.payload, message)).rejects.toMatchObject({ responseCode: 550 })
    platform.faults.rejectRecipients = false
  })

  it('falls back to the platform once the tenant connection needs reconnecting', async () => {
    const row = await cms.payload.find({
      collection: 'connections',
      where: { tenant: { equals: tenants.bizoholic }, connector: { equals: 'smtp' } },
      overrideAccess: true,
    })
    await markNeedsReconnect(cms.payload, row.docs[0]!.id, 'The server refused the username or password')
    const sent = await sendMail(cms.payload, { ...message, tenant: tenants.bizoholic })
    expect(sent.via).toBe('platform')
    expect((await platform.waitFor((m) => m.messageId === sent.messageId)).subject).toBe('Reconnect Google')
  })
})

describe("Payload's own emails", () => {
  it('send the forgot-password link through SMTP_URL, From MAIL_FROM', async () => {
    const res = await cms.rest.post('/users/forgot-password', { email: 'manager@bizoholic.dev' })
    expect(res.status).toBe(200)
    const mail = await platform.waitFor((m) => m.envelope.to.includes('manager@bizoholic.dev'))
    expect(mail.user).toBe('platform')
    expect(mail.from?.value[0]).toEqual({ name: 'BizOSaaS', address: 'no-reply@bizosaas.dev' })
    expect(mail.subject).toMatch(/reset/i)
    expect(mail.html).toMatch(/token=|reset/)
    // The reset link works: the token in it sets a new password.
    const token = mail.html ? /token=([A-Za-z0-9]+)|reset\/([A-Za-z0-9]+)/.exec(mail.html) : null
    expect(token).not.toBeNull()
    const reset = await cms.rest.post('/users/reset-password', {
      token: token![1] ?? token![2],
      password: `${DEMO_PASSWORD}-new`,
    })
    expect(reset.status).toBe(200)
  })

  it('send nothing for an unknown address, and say nothing about it', async () => {
    const before = platform.messages.length
    const res = await cms.rest.post('/users/forgot-password', { email: 'nobody@example.com' })
    expect(res.status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(platform.messages.length).toBe(before)
  })
})
