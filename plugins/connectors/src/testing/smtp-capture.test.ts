/**
 * The SMTP capture server against the real nodemailer over real SMTP: messages arrive parsed with their
 * envelope and login, `waitFor` finds later ones, and each fault fails the client the way a real server would.
 */
import nodemailer from 'nodemailer'
import { afterEach, describe, expect, it } from 'vitest'
import { type SmtpCapture, startSmtpCapture } from './smtp-capture.ts'

let capture: SmtpCapture | undefined
afterEach(async () => {
  await capture?.close()
  capture = undefined
})

const send = (url: string, to: string[] = ['ana@example.com']) => {
  const transport = nodemailer.createTransport(url)
  return transport
    .sendMail({ from: 'Shop <shop@example.com>', to, subject: 'Your order', text: 'Thanks!', html: '<p>Thanks!</p>' })
    .finally(() => transport.close())
}

describe('startSmtpCapture', () => {
  it('keeps each message parsed, with its envelope', async () => {
    capture = await startSmtpCapture()
    expect(capture.url).toBe(`smtp://127.0.0.1:${capture.port}`)
    const info = await send(capture.url, ['ana@example.com', 'bo@example.com'])
    const message = await capture.waitFor((m) => m.subject === 'Your order')
    expect(message.messageId).toBe(info.messageId)
    expect(message.text?.trim()).toBe('Thanks!')
    expect(message.html).toContain('<p>Thanks!</p>')
    expect(message.from?.value[0]).toEqual({ address: 'shop@example.com', name: 'Shop' })
    expect(message.envelope).toEqual({ from: 'shop@example.com', to: ['ana@example.com', 'bo@example.com'] })
    expect(message.user).toBeUndefined()
    expect(capture.messages).toHaveLength(1)
  })

  it('waitFor resolves with a message that arrives later and times out with a count', async () => {
    capture = await startSmtpCapture()
    const waiting = capture.waitFor((m) => m.subject === 'Your order', 5_000)
    await send(capture.url)
    expect((await waiting).subject).toBe('Your order')
    await expect(capture.waitFor((m) => m.subject === 'never', 200)).rejects.toThrow(
      'No matching message within 200 ms (1 received)',
    )
  })

  it('requires the configured login and records who sent', async () => {
    capture = await startSmtpCapture({ auth: { username: 'shop@example.com', password: 'p@ss word' } })
    expect(capture.url).toBe(`smtp://shop%40example.com:p%40ss%20word@127.0.0.1:${capture.port}`)
    await send(capture.url)
    expect((await capture.waitFor()).user).toBe('shop@example.com')
    await expect(send(`smtp://shop%40example.com:wrong@127.0.0.1:${capture.port}`)).rejects.toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
    })
    expect(capture.messages).toHaveLength(1)
  })

  it('refuses logins, recipients and connections when told to', async () => {
    capture = await startSmtpCapture({ auth: { username: 'u', password: 'p' }, faults: { rejectAuth: true } })
    await expect(send(capture.url)).rejects.toMatchObject({ code: 'EAUTH' })

    capture.faults.rejectAuth = false
    capture.faults.rejectRecipients = ['bo@example.com']
    const partly = await send(capture.url, ['ana@example.com', 'bo@example.com'])
    expect(partly.rejected).toEqual(['bo@example.com'])
    expect((await capture.waitFor()).envelope.to).toEqual(['ana@example.com'])

    capture.faults.rejectRecipients = true
    await expect(send(capture.url)).rejects.toMatchObject({ code: 'EENVELOPE', responseCode: 550 })

    capture.faults.rejectRecipients = false
    capture.faults.dropConnection = 'data'
    await expect(send(capture.url)).rejects.toThrow()
    capture.faults.dropConnection = 'connect'
    await expect(send(capture.url)).rejects.toThrow()
    expect(capture.messages).toHaveLength(1)

    capture.faults.dropConnection = false
    await send(capture.url)
    expect(capture.messages).toHaveLength(2)
  })
})
