import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { addLogContext, createLogger, logLevelFrom, withLogContext } from './logger.ts'

function capture() {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  return { lines, stream }
}

describe('service logger', () => {
  it('writes JSON lines with service, level word, time and the context of the work in progress', async () => {
    const { lines, stream } = capture()
    const log = createLogger('cms', stream, { level: 'info' })
    log.info('outside')
    await withLogContext({ reqId: 'req-1' }, async () => {
      await new Promise((r) => setTimeout(r, 5))
      addLogContext({ tenant: '7' })
      log.info({ runId: 'r1' }, 'inside')
      withLogContext({ jobId: 'j1' }, () => log.warn('nested'))
    })
    log.debug('below the level')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatchObject({ service: 'cms', level: 'info', msg: 'outside' })
    expect(lines[0]).not.toHaveProperty('reqId')
    expect(typeof lines[0]!.time).toBe('string')
    expect(lines[1]).toMatchObject({ service: 'cms', reqId: 'req-1', tenant: '7', runId: 'r1', msg: 'inside' })
    expect(lines[2]).toMatchObject({ level: 'warn', reqId: 'req-1', tenant: '7', jobId: 'j1' })
  })

  it('never writes secrets', () => {
    const { lines, stream } = capture()
    const log = createLogger('cms', stream, { level: 'info' })
    log.info({ password: 'hunter2', user: { apiKey: 'sk-123', email: 'a@b.c' } }, 'sign-in')
    const text = JSON.stringify(lines)
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('sk-123')
    expect(lines[0]).toMatchObject({ password: '[redacted]', user: { apiKey: '[redacted]', email: 'a@b.c' } })
  })

  it("leaves out the connection a driver hangs on its error (a pg error's client and its settings)", () => {
    const { lines, stream } = capture()
    const log = createLogger('cms', stream, { level: 'info' })
    const error = Object.assign(new Error('terminating connection'), {
      code: '57P01',
      client: { connectionParameters: { user: 'postgres', password: 'db-secret', host: 'db' } },
    })
    log.error({ err: error }, 'queue error')
    expect(JSON.stringify(lines)).not.toContain('db-secret')
    expect(lines[0]).toMatchObject({ err: { message: 'terminating connection', code: '57P01', type: 'Error' } })
    expect(lines[0]!.err).not.toHaveProperty('client')
  })

  it('reads LOG_LEVEL and names it when invalid', () => {
    expect(logLevelFrom({})).toBe('info')
    expect(logLevelFrom({ LOG_LEVEL: 'DEBUG' })).toBe('debug')
    expect(() => logLevelFrom({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of .*"loud"/)
  })
})
