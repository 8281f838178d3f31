import { describe, expect, it } from 'vitest'
import type { RunEvent } from '../events.ts'
import { createEmitter, type EventInput } from './emitter.ts'

const run = { runId: 'r1', agent: 'echo' }
const step = (n: number): EventInput => ({ type: 'step', step: n, kind: 'model', messages: [], usage: usage() })
const usage = () => ({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0, modelCalls: 0, toolCalls: 0 })
const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

describe('run events emitter', () => {
  it('writes in order when synchronous and slow asynchronous writes mix, and stamps each event', async () => {
    const written: number[] = []
    const emitter = createEmitter(run, {
      sink: {
        emit(event) {
          const n = (event as Extract<RunEvent, { type: 'step' }>).step
          // every other write is slow: the next one must still wait for it
          if (n % 2) return later(20).then(() => void written.push(n))
          written.push(n)
        },
      },
    })
    const waits = [1, 2, 3, 4].map((n) => emitter.emit(step(n)))
    await Promise.all(waits)
    expect(written).toEqual([1, 2, 3, 4])
    const seen: RunEvent[] = []
    await createEmitter(run, { onEvent: (event) => seen.push(event) }).emit(step(5))
    expect(seen[0]).toMatchObject({ runId: 'r1', agent: 'echo', type: 'step' })
    expect(Date.parse(seen[0]?.at ?? '')).not.toBeNaN()
  })

  it('rejects with the first failure from then on and stops writing', async () => {
    const written: number[] = []
    const emitter = createEmitter(run, {
      sink: {
        emit(event) {
          const n = (event as Extract<RunEvent, { type: 'step' }>).step
          if (n === 2) throw new Error('disk full')
          written.push(n)
        },
      },
      wrapError: (error) => new Error(`sink: ${(error as Error).message}`),
    })
    await emitter.emit(step(1))
    await expect(emitter.emit(step(2))).rejects.toThrow('sink: disk full')
    await expect(emitter.emit(step(3))).rejects.toThrow('sink: disk full')
    await expect(emitter.flush()).rejects.toThrow('sink: disk full')
    expect(written).toEqual([1])
  })

  it('does not wait for text deltas, but their failure fails the next awaited event', async () => {
    const emitter = createEmitter(run, {
      sink: { emit: (event) => (event.type === 'text-delta' ? Promise.reject(new Error('lost delta')) : undefined) },
    })
    await emitter.emit({ type: 'text-delta', step: 1, attempt: 1, delta: 'hi' })
    await expect(emitter.emit(step(1))).rejects.toThrow('lost delta')
  })

  it('bounds a write that never answers', async () => {
    const emitter = createEmitter(run, { sink: { emit: () => new Promise<void>(() => {}) }, timeoutMs: 50 })
    await expect(emitter.emit(step(1))).rejects.toThrow('Event sink did not answer within 50 ms')
  })
})
