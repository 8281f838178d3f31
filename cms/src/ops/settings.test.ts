import { describe, expect, it } from 'vitest'
import { readAlertSettings } from './settings.ts'

describe('readAlertSettings', () => {
  it('has working defaults: no channel, thresholds from the issue', () => {
    expect(readAlertSettings({})).toMatchObject({
      queueAgeSeconds: 600,
      failedRuns: 5,
      failedRunsMinutes: 15,
      deadLetterMinutes: 60,
      smtpUrl: undefined,
      webhookUrl: undefined,
      notifyResolved: true,
    })
  })

  it('names every bad variable and never echoes a secret', () => {
    let message = ''
    try {
      readAlertSettings({
        ALERT_QUEUE_AGE_SECONDS: 'soon',
        ALERT_SMTP_URL: 'http://user:hunter2-password@mail.example.com',
        ALERT_WEBHOOK_URL: 'ftp://hooks.example.com',
        ALERT_WEBHOOK_SECRET: 'short',
      })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('ALERT_QUEUE_AGE_SECONDS')
    expect(message).toContain('(got "soon")')
    expect(message).toContain('ALERT_SMTP_URL must be an SMTP URL')
    expect(message).toContain('ALERT_WEBHOOK_URL must be an http(s) URL')
    expect(message).toContain('ALERT_WEBHOOK_SECRET must be at least 16 characters')
    expect(message).not.toContain('hunter2')
    expect(message).not.toContain('"short"')
  })
})
