/**
 * One side of the audit-log benchmark in its own process: `tsx server.ts <on|off>` starts our CMS config
 * (production mode: the committed migrations run on init) with the audit log enabled or disabled, seeds
 * the demo data plus BENCH_POSTS posts on first start, serves `/api/*` over HTTP on 127.0.0.1 through
 * Payload's REST route handlers, and prints `BENCH {"port":N,"posts":[ids]}` when ready.
 */
import { mkdir } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { cmsConfig } from '@bizosaas/cms/config'
import { seed } from '@bizosaas/cms/seed'
import { REST_DELETE, REST_GET, REST_PATCH, REST_POST } from '@payloadcms/next/routes'
import { buildConfig, getPayload } from 'payload'

const side = process.argv[2] as 'on' | 'off'
if (!['on', 'off'].includes(side)) {
  console.error('usage: tsx bench/audit-log/server.ts <on|off>')
  process.exit(2)
}
await mkdir(process.env.MEDIA_DIR!, { recursive: true })
const config = await buildConfig(cmsConfig({ auditLog: { enabled: side === 'on' } }))
const payload = await getPayload({ config })

const tenant = (await payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } }, depth: 0 }))
  .docs[0]
if (!tenant) await seed(payload)
const tenantId = (await payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } }, depth: 0 }))
  .docs[0]!.id
const wanted = Number(process.env.BENCH_POSTS ?? 8)
const posts: number[] = []
for (let i = 0; i < wanted; i++) {
  const doc = await payload.create({
    collection: 'posts',
    data: {
      title: `Bench post ${i}`,
      slug: `bench-post-${side}-${i}-${Date.now()}`,
      tenant: tenantId,
      _status: 'published',
      content: {
        root: {
          type: 'root',
          direction: null,
          format: '',
          indent: 0,
          version: 1,
          children: [
            {
              type: 'paragraph',
              direction: null,
              format: '',
              indent: 0,
              version: 1,
              textFormat: 0,
              children: [
                {
                  type: 'text',
                  text: 'A post the benchmark edits.',
                  detail: 0,
                  format: 0,
                  mode: 'normal',
                  style: '',
                  version: 1,
                },
              ],
            },
          ],
        },
      },
    } as never,
  })
  posts.push(doc.id as number)
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
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': String(out.length) })
  res.end(out)
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
  console.log(`BENCH ${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, posts })}`)
})
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    server.close()
    server.closeAllConnections()
    void payload.destroy().finally(() => process.exit(0))
  })
