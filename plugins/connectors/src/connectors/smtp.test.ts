/**
 * The `smtp` connector with the real nodemailer over real SMTP (the testing kit's capture server): the
 * form's schema and its rules, the test's message for each failure a tenant meets (wrong password,
 * nothing listening, TLS mismatch, dropped connection), and sending From the connection's address.
 */
import { freePort } from '@bizosaas/scripts/ports'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionError, type ConnectorContext } from '../define.ts'
import { type SmtpCapture, startSmtpCapture } from '../testing/index.ts'
import { closeSmtpTransports, type SmtpCredentials, smtpConnector, smtpCredentials } from './smtp.ts'

const LOGIN = { username: 'hello@acme.test', password: 'app-pass-0123' }
let server: SmtpCapture

beforeAll(async () => {
  server = await startSmtpCapture({ auth: LOGIN })
})
afterEach(() => {
  server.faults.dropConnection = false
  server.faults.rejectRecipients = false
})
afterAll(async () => {
  closeSmtpTransports()
  await server.close()
})

const credentials = (over: Partial<Record<keyof SmtpCredentials, unknown>> = {}): SmtpCredentials =>
  smtpCredentials.parse({
    host: '127.0.0.1',
    port: server.port,
    security: 'none',
    ...LOGIN,
    fromName: 'Acme Support',
    fromAddress: 'support@acme.test',
    ...over,
  })

const contextFor = (c: SmtpCredentials, id = 'conn-1'): ConnectorContext<SmtpCredentials> => ({
  connection: { id, tenant: 'acme', connector: 'smtp' },
  credentials: c,
  accessToken: () => Promise.reject(new ConnectionError('error', 'SMTP has no access token', 'smtp')),
  fetch,
  urls: {},
})

const testWith = async (c: SmtpCredentials, id?: string) => {
  const ctx = contextFor(c, id)
  return smtpConnector.test(await smtpConnector.client(ctx), ctx)
}

describe('smtp credentials', () => {
  it('defaults to port 587 with STARTTLS and describes every field for the form', () => {
    const parsed = smtpCredentials.parse({ host: 'smtp.gmail.com', ...LOGIN, fromAddress: 'hello@acme.test' })
    expect(parsed).toMatchObject({ port: 587, security: 'starttls' })
    for (const [name, field] of Object.entries(smtpCredentials.shape))
      expect(field.description, `${name} has a description`).toMatch(/\w{3,}/)
    expect(smtpConnector.auth).toMatchObject({ type: 'credentials', kind: 'app-password', secretFields: ['password'] })
  })

  it('says what is wrong with a port, an address, or unencrypted SMTP to a remote host', () => {
    const issues = (input: object) =>
      smtpCredentials
        .safeParse({ host: 'smtp.gmail.com', ...LOGIN, fromAddress: 'hello@acme.test', ...input })
        .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(issues({ port: 70000 })).toEqual(['port: The port is between 1 and 65535'])
    expect(issues({ fromAddress: 'nope' })).toEqual([
      'fromAddress: Enter the address emails are sent from, like support@example.com',
    ])
    expect(issues({ security: 'none' })?.[0]).toMatch(
      /^security: Unencrypted SMTP is only allowed for a server on this/,
    )
    for (const host of ['localhost', '127.0.0.1', '::1', 'mailpit'])
      expect(issues({ host, security: 'none' }), host).toBeUndefined()
  })
})

describe('smtp test', () => {
  it('logs in and names the sending address', async () => {
    expect(await testWith(credentials())).toEqual({
      ok: true,
      message: `Logged in to 127.0.0.1:${server.port} as hello@acme.test`,
      account: 'support@acme.test',
    })
  })

  it('says the server refused the login, and asks for a reconnect', async () => {
    expect(await testWith(credentials({ password: 'wrong' }))).toEqual({
      ok: false,
      reconnect: true,
      message: 'The server refused the username or password',
    })
  })

  it('says the host could not be reached when nothing listens or the connection drops', async () => {
    const closed = await freePort()
    expect(await testWith(credentials({ port: closed }))).toEqual({
      ok: false,
      message: `Could not reach 127.0.0.1:${closed}: the connection was refused`,
    })
    server.faults.dropConnection = 'connect'
    const dropped = await testWith(credentials())
    expect(dropped).toMatchObject({ ok: false })
    expect(dropped.message).toBe(
      `Could not reach 127.0.0.1:${server.port}: the connection closed before the server answered`,
    )
  })

  it('explains TLS failures: a self-signed STARTTLS certificate, TLS spoken to a plain port, no STARTTLS offered', async () => {
    const tlsServer = await startSmtpCapture({ auth: LOGIN, starttls: true })
    try {
      const selfSigned = await testWith(credentials({ port: tlsServer.port, security: 'starttls' }))
      expect(selfSigned).toMatchObject({ ok: false })
      expect(selfSigned.message).toMatch(
        new RegExp(`^TLS with 127\\.0\\.0\\.1:${tlsServer.port} failed: its certificate was not accepted: `),
      )
    } finally {
      await tlsServer.close()
    }
    const hint = 'Check the security setting: port 465 usually needs "tls", port 587 "starttls"'
    expect(await testWith(credentials({ security: 'tls' }))).toEqual({
      ok: false,
      message: `TLS with 127.0.0.1:${server.port} failed: the server does not speak TLS on this port. ${hint}`,
    })
    expect(await testWith(credentials({ security: 'starttls' }))).toEqual({
      ok: false,
      message: `TLS with 127.0.0.1:${server.port} failed: the server does not offer STARTTLS. ${hint}`,
    })
    expect(server.messages).toHaveLength(0)
  })
})

describe('smtp client', () => {
  it("sends From the connection's address, keeps an explicit From, and reports refused recipients", async () => {
    const client = await smtpConnector.client(contextFor(credentials()))
    expect(client.from).toBe('"Acme Support" <support@acme.test>')
    const sent = await client.send({
      to: 'ana@example.com',
      cc: ['bo@example.com'],
      subject: 'Welcome',
      text: 'Hello Ana',
      attachments: [{ filename: 'terms.txt', content: 'Be nice.' }],
    })
    expect(sent.accepted).toEqual(['ana@example.com', 'bo@example.com'])
    const got = await server.waitFor((m) => m.messageId === sent.messageId)
    expect(got.from?.value[0]).toEqual({ name: 'Acme Support', address: 'support@acme.test' })
    expect(got.user).toBe('hello@acme.test')
    expect(got.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['terms.txt', 'Be nice.']])

    server.faults.rejectRecipients = ['bo@example.com']
    const partly = await client.send({
      from: 'Ana <ana@acme.test>',
      to: ['ana@example.com', 'bo@example.com'],
      subject: 'Second',
      text: 'x',
    })
    expect(partly).toMatchObject({ accepted: ['ana@example.com'], rejected: ['bo@example.com'] })
    expect((await server.waitFor((m) => m.subject === 'Second')).from?.value[0]).toEqual({
      name: 'Ana',
      address: 'ana@acme.test',
    })
  })

  it('uses the new password of a connection whose credentials changed', async () => {
    const stale = await smtpConnector.client(contextFor(credentials({ password: 'old-one' }), 'conn-2'))
    await expect(stale.send({ to: 'ana@example.com', subject: 'stale', text: 'x' })).rejects.toMatchObject({
      code: 'EAUTH',
    })
    const fresh = await smtpConnector.client(contextFor(credentials(), 'conn-2'))
    const sent = await fresh.send({ to: 'ana@example.com', subject: 'fresh', text: 'x' })
    expect((await server.waitFor((m) => m.subject === 'fresh')).messageId).toBe(sent.messageId)
  })
})
