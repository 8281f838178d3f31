import { describe, expect, it } from 'vitest'
import { workerPort } from './worker-server.ts'

describe('WORKER_PORT', () => {
  it('defaults to 3003, takes a port number, and names the variable when it is not one', () => {
    expect(workerPort({})).toBe(3003)
    expect(workerPort({ WORKER_PORT: ' 3305 ' })).toBe(3305)
    expect(() => workerPort({ WORKER_PORT: 'eighty' })).toThrow(
      'WORKER_PORT must be a port number (0-65535), got "eighty"',
    )
    expect(() => workerPort({ WORKER_PORT: '70000' })).toThrow(/WORKER_PORT/)
  })
})
