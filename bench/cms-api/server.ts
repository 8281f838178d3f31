/**
 * One side of the API benchmark in its own process: `tsx server.ts <ours|bare> prepare` seeds the
 * benchmark data into DATABASE_URL and exits; `tsx server.ts <ours|bare> serve` serves `/api/*` over
 * HTTP on 127.0.0.1 through Payload's REST route handlers (the ones `app/(payload)/api/[...slug]/route.ts`
 * exports, driven with real Requests as in cms/src/test/harness.ts) and prints `{"port":N}` when ready.
 * Both sides go through this same adapter, so the comparison isolates the Payload config.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { REST_DELETE, REST_GET, REST_PATCH, REST_POST } from '@payloadcms/next/routes'
import type { SanitizedConfig } from 'payload'
import { getPayload } from 'payload'
import { seedBenchData } from './dataset.ts'

type Side = 'ours' | 'bare'
const [side, mode] = process.argv.slice(2) as [Side, 'prepare' | 'serve']
if (!['ours', 'bare'].includes(side) || !['prepare', 'serve'].includes(mode)) {
  console.error('usage: tsx bench/cms-api/server.ts <ours|bare> <prepare|serve>')
  process.exit(2)
}

const configModule = side === 'ours' ? await import('@bizosaas/cms/payload-config') : await import('./bare.config.ts')
const config: Promise<SanitizedConfig> = configModule.default
// Initialises Payload (ours applies its committed migrations here in production; bare pushes in development).
const payload = await getPayload({ config: await config })

if (mode === 'prepare') {
  const counts = await seedBenchData(payload, Number(process.env.BENCH_POSTS ?? 50))
  console.log(`BENCH ${JSON.stringify(counts)}`)
  await payload.destroy()
  process.exit(0)
}

type Handler = (req: Request, args: { params: Promise<{ slug: string[] }> }) => Promise<Response>
const handlers: Record<string, Handler> = {
  GET: REST_GET(config),
  POST: REST_POST(config),
  PATCH: REST_PATCH(config),
  DELETE: REST_DELETE(config),
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const handler = handlers[req.method ?? '']
  if (!url.pathname.startsWith('/api/') || !handler) {
    res.writeHead(404).end()
    return
  }
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  let body: Uint8Array<ArrayBuffer> | undefined
  if (req.method !== 'GET') {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    body = new Uint8Array(Buffer.concat(chunks))
  }
  const slug = url.pathname.slice('/api/'.length).split('/').filter(Boolean)
  const response = await handler(new Request(url, { method: req.method, headers, body }), {
    params: Promise.resolve({ slug }),
  })
  const out = Buffer.from(await response.arrayBuffer())
  const outHeaders: Record<string, string | string[]> = Object.fromEntries(response.headers)
  const cookies = response.headers.getSetCookie()
  if (cookies.length) outHeaders['set-cookie'] = cookies
  outHeaders['content-length'] = String(out.length)
  res.writeHead(response.status, outHeaders).end(out)
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    payload.logger.error({ err: error }, 'bench server: request failed')
    if (!res.headersSent) res.writeHead(500)
    res.end()
  })
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  console.log(`BENCH ${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}`)
})
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    server.close()
    server.closeAllConnections()
    void payload.destroy().finally(() => process.exit(0))
  })
