import { describe, expect, it } from 'vitest'
import { workerCount } from './workers.ts'

describe('pnpm worker --count', () => {
  it('takes --count N, --count=N, then WORKERS, then the default', () => {
    expect(workerCount(['--count', '3'], {})).toBe(3)
    expect(workerCount(['--count=2'], { WORKERS: '5' })).toBe(2)
    expect(workerCount([], { WORKERS: '4' })).toBe(4)
    expect(workerCount([], {}, 1)).toBe(1)
  })

  it('names the setting for a count that is not a whole number from 1 to 64', () => {
    for (const bad of ['0', 'two', '1.5', '65'])
      expect(() => workerCount(['--count', bad], {})).toThrow(
        `--count / WORKERS must be a whole number from 1 to 64 (got "${bad}")`,
      )
  })
})
