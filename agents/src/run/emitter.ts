/**
 * A run's events on their way out: stamped with run, agent and time, handed to the synchronous listener,
 * and written to the sink in order. A write that finishes at once costs no promise chain and no timer.
 */
import type { EventSink, RunEvent } from '../events.ts'

/** An event as a run step writes it; the emitter adds `runId`, `agent` and `at`. */
export type EventInput = DistributiveOmit<RunEvent, 'runId' | 'agent' | 'at'>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** Where a run's events go. */
export interface EmitterOptions {
  sink?: EventSink
  /** Synchronous listener of every event; its errors are ignored (a listener must not break the run). */
  onEvent?: (event: RunEvent) => void
  /** Bound of one awaited write (all writes queued before it included). @default unbounded */
  timeoutMs?: number
  /** Turns a sink failure (or the bound running out) into the error `emit` and `flush` reject with. */
  wrapError?: (error: unknown) => unknown
}

/** Sends one run's events. */
export interface RunEmitter {
  /**
   * Stamps and sends an event. Resolves once the sink has written it and everything before it; text deltas
   * resolve at once (they are queued, so streaming does not wait for the sink). Rejects when a write failed.
   */
  emit(event: EventInput): Promise<void>
  /** Resolves when every queued write has ended; rejects with the first failure. */
  flush(): Promise<void>
}

const RESOLVED: Promise<void> = Promise.resolve()

// Formatting a date costs about a microsecond; a run emits several events within the same millisecond.
let lastMs = 0
let lastIso = ''
/** The current time as an ISO string, formatted at most once per millisecond. */
export function isoNow(): string {
  const now = Date.now()
  if (now !== lastMs) {
    lastMs = now
    lastIso = new Date(now).toISOString()
  }
  return lastIso
}
const identity = (error: unknown) => error

/** Events of one run (or one apply) in order, to the listener and the sink. */
export function createEmitter(run: { runId: string; agent: string }, options: EmitterOptions = {}): RunEmitter {
  return new Emitter(run.runId, run.agent, options)
}

// A class, so a run costs no closures (the worker runs under tsx, which names every closure it creates).
class Emitter implements RunEmitter {
  // Writes still in flight, in order; undefined while the sink is idle. It never rejects: a failure is kept
  // in `failure`, later writes are skipped, and every later wait rejects with it.
  private tail: Promise<void> | undefined
  private failure: { error: unknown } | undefined
  private readonly wrapError: (error: unknown) => unknown

  constructor(
    private readonly runId: string,
    private readonly agent: string,
    private readonly options: EmitterOptions,
  ) {
    this.wrapError = options.wrapError ?? identity
  }

  emit(partial: EventInput): Promise<void> {
    const event = { ...partial, runId: this.runId, agent: this.agent, at: isoNow() } as RunEvent
    const { sink, onEvent } = this.options
    if (onEvent) {
      try {
        onEvent(event)
      } catch {
        // a listener must not break the run
      }
    }
    if (!sink) return RESOLVED
    this.write(sink, event)
    return event.type === 'text-delta' ? RESOLVED : this.flush()
  }

  flush(): Promise<void> {
    if (this.failure) return this.rejection()
    if (!this.tail) return RESOLVED
    const waiting = this.tail.then(() => (this.failure ? this.rejection() : undefined))
    const { timeoutMs } = this.options
    return timeoutMs === undefined ? waiting : bounded(waiting, timeoutMs, this.wrapError)
  }

  private write(sink: EventSink, event: RunEvent): void {
    if (this.failure) return
    if (this.tail) {
      this.track(this.tail.then(() => (this.failure ? undefined : sink.emit(event))))
      return
    }
    try {
      const written = sink.emit(event)
      if (written && typeof (written as PromiseLike<void>).then === 'function') this.track(written)
    } catch (error) {
      this.failure = { error }
    }
  }

  private track(written: PromiseLike<void>): void {
    const current: Promise<void> = Promise.resolve(written).then(
      () => {
        if (this.tail === current) this.tail = undefined
      },
      (error: unknown) => {
        this.failure ??= { error }
        if (this.tail === current) this.tail = undefined
      },
    )
    this.tail = current
  }

  private rejection(): Promise<never> {
    return Promise.reject(this.wrapError((this.failure as { error: unknown }).error))
  }
}

/** Rejects when the wait takes longer than `ms` (a stuck sink must not hang a run). */
function bounded(waiting: Promise<void>, ms: number, wrapError: (error: unknown) => unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(wrapError(new Error(`Event sink did not answer within ${ms} ms`))), ms)
  })
  return Promise.race([waiting, timeout]).finally(() => clearTimeout(timer))
}
