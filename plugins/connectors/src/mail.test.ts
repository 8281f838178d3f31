/**
 * `sendMail` in a real Payload over real SMTP: a tenant with a connected `smtp` connection sends through
 * its own server, one without falls back to the platform mailer (SMTP_URL), and with neither the error
 * names what to configure. Until the core's `connectionClient` is on main, the lookup at
 * `config.custom[CONNECTION_CLIENT_KEY]` is the smtp connector's real client over a tenant→credentials map.
 */
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { closeSmtpTransports, smtpConnector, smtpCredentials } from './connectors/smtp.ts'
import { ConnectionError } from './define.ts'
import { CONNECTION_CLIENT_KEY, type ConnectionClientLookup, MailNotConfiguredError, sendMail } from './mail.ts'
import { type SmtpCapture, startSmtpCapture } from './testing/index.ts'

let cms: TestCms
let platform: SmtpCapture
let tenantServer: SmtpCapture
const connected = new Map<string, ReturnType<typeof smtpCredentials.parse>>()

const lookup: ConnectionClientLookup = async (_payload, { tenant, connector }) => {
  const credentials = connected.get(String(tenant))
  if (!credentials) throw new ConnectionError('not-connected', `Tenant ${tenant} has no ${connector} connection`)
  if (tenant === 'broken') throw new ConnectionError('needs-reconnect', 'The password was refused', connector)
  return smtpConnector.client({
    connection: { id: `conn-${tenant}`, tenant: String(tenant), connector },
    credentials,
    accessToken: () => Promise.reject(new ConnectionError('error', 'credentials connector')),
    fetch,
    urls: {},
  })
}

beforeAll(async () => {
  ;[platform, tenantServer] = await Promise.all([
    startSmtpCapture(),
    startSmtpCapture({ auth: { username: 'owner@bizoholic.dev', password: 'app-password-1' } }),
  ])
  cms = await startTestCms('mail', {
    plugins: [(config) => ({ ...config, custom: { ...config.custom, [CONNECTION_CLIENT_KEY]: lookup } })],
  })
  const own = smtpCredentials.parse({
    host: '127.0.0.1',
    port: tenantServer.port,
    security: 'none',
    username: 'owner@bizoholic.dev',
    password: 'app-password-1',
    fromName: 'Bizoholic',
    fromAddress: 'hello@bizoholic.dev',
  })
  connected.set('bizoholic', own)
  connected.set('broken', own)
})

afterAll(async () => {
  closeSmtpTransports()
  await Promise.all([cms?.close(), platform?.close(), tenantServer?.close()])
})

beforeEach(() => {
  process.env.SMTP_URL = platform.url
  process.env.MAIL_FROM = 'BizOSaaS <no-reply@bizosaas.dev>'
})

const message = { to: ['owner@bizoholic.dev'], subject: 'Reconnect Google', text: 'Your Google connection needs you.' }

describe('sendMail', () => {
  it('sends as the tenant through its own SMTP connection, From its address', async () => {
    const sent = await sendMail(cms.payload, {
      ...message,
      tenant: 'bizoholic',
      html: '<p>Your Google connection needs you.</p>',
      replyTo: 'support@bizoholic.dev',
      headers: { 'x-bizosaas-notice': 'needs-reconnect' },
    })
    expect(sent.via).toBe('tenant-smtp')
    const got = await tenantServer.waitFor((m) => m.messageId === sent.messageId)
    expect(got.user).toBe('owner@bizoholic.dev')
    expect(got.from?.text).toBe('"Bizoholic" <hello@bizoholic.dev>')
    expect(got.replyTo?.text).toBe('support@bizoholic.dev')
    expect(got.headers.get('x-bizosaas-notice')).toBe('needs-reconnect')
    expect(got.html).toContain('<p>Your Google connection needs you.</p>')
    expect(platform.messages).toHaveLength(0)
  })

  it('falls back to the platform mailer without a usable tenant connection, or without a tenant', async () => {
    for (const tenant of ['coreldove', 'broken', undefined]) {
      const sent = await sendMail(cms.payload, { ...message, tenant })
      expect(sent.via).toBe('platform')
      const got = await platform.waitFor((m) => m.messageId === sent.messageId)
      expect(got.from?.value[0]).toEqual({ name: 'BizOSaaS', address: 'no-reply@bizosaas.dev' })
      expect(got.envelope.to).toEqual(['owner@bizoholic.dev'])
      expect(got.text?.trim()).toBe('Your Google connection needs you.')
    }
  })

  it('names what to configure when no mailer exists, and passes on a refused recipient', async () => {
    delete process.env.SMTP_URL
    const error = await sendMail(cms.payload, { ...message, tenant: 'coreldove' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MailNotConfiguredError)
    expect((error as Error).message).toBe(
      'No mailer is configured: set SMTP_URL (and MAIL_FROM) for the platform, or connect an SMTP account for tenant coreldove',
    )

    process.env.SMTP_URL = 'http://mail.example.com'
    await expect(sendMail(cms.payload, message)).rejects.toThrow('SMTP_URL must be an SMTP URL')

    process.env.SMTP_URL = platform.url
    platform.faults.rejectRecipients = true
    await expect(sendMail(cms.payload, message)).rejects.toMatchObject({ responseCode: 550 })
    platform.faults.rejectRecipients = false
  })
})
