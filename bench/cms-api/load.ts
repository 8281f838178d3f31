/**
 * A bounded HTTP load loop: `concurrency` workers send GETs back to back over keep-alive sockets for
 * a fixed time, to 127.0.0.1 only, and the round reports throughput and latency percentiles.
 */
import { Agent, request } from 'node:http'

export interface LoadOptions {
  url: string
  headers?: Record<string, string>
  concurrency: number
  seconds: number
}

export interface LoadResult {
  requests: number
  errors: number
  rps: number
  p50: number
  p99: number
  bytesPerResponse: number
}

/** One GET; resolves with the status and body size, rejects on network errors. */
function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** Runs the loop for `seconds`; requests in flight at the deadline finish and are counted. */
export async function runLoad({ url, headers = {}, concurrency, seconds }: LoadOptions): Promise<LoadResult> {
  const target = new URL(url)
  if (target.hostname !== '127.0.0.1') throw new Error(`load is only sent to 127.0.0.1, not ${target.hostname}`)
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies: number[] = []
  let errors = 0
  let bytes = 0
  const started = performance.now()
  const deadline = started + seconds * 1000

  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now()
      try {
        const res = await get(agent, target, headers)
        if (res.status !== 200) errors++
        bytes += res.bytes
      } catch {
        errors++
      }
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    bytesPerResponse: latencies.length ? bytes / latencies.length : 0,
  }
}
