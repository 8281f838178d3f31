import { spawn } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tracingEnabled } from './tracing.ts'

const fixture = path.join(import.meta.dirname, 'fixtures/tracing-process.ts')

/** Runs the fixture in its own Node process (type stripping) with `env` on top of a clean OTEL_* set. */
function runFixture(env: Record<string, string>): Promise<{ started: boolean; loaded: string[] }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`))))
  })
}

describe('tracing', () => {
  // A local OTLP/HTTP receiver: keeps what the exporter posts to /v1/traces.
  const posts: { path: string; contentType: string; body: Buffer }[] = []
  let receiver: http.Server
  let endpoint: string
  beforeAll(async () => {
    receiver = http.createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) })
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' }).end()
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())))

  it('is on only when the standard OTEL_* variables ask for it', () => {
    expect(tracingEnabled({})).toBe(false)
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true)
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true)
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true)
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(false)
    expect(tracingEnabled({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(false)
  })

  it('loads no OpenTelemetry module when off', async () => {
    const result = await runFixture({})
    expect(result).toEqual({ started: false, loaded: [] })
  })

  it('exports spans over OTLP/HTTP to the configured endpoint when on', async () => {
    const result = await runFixture({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })
    expect(result.started).toBe(true)
    expect(result.loaded).toContain('@opentelemetry/sdk-node')
    const traces = posts.filter((p) => p.path === '/v1/traces')
    expect(traces.length).toBeGreaterThan(0)
    const body = Buffer.concat(traces.map((p) => p.body)).toString('latin1')
    // Protobuf keeps strings as they are: the service, the hand-made span and the HTTP server span.
    expect(body).toContain('obs-test-service')
    expect(body).toContain('obs-test-span')
    expect(body).toContain('/traced-path')
  })
})
