/**
 * Payload's REST API over real HTTP for tests and benchmarks of the apps that read it (portal,
 * storefront): the route handlers the CMS app's `app/(payload)/api/[...slug]/route.ts` exports
 * (api/routes.ts) behind node:http. Response bodies are streamed, so
 * server-sent events and media files flow through; a client that goes away aborts its request.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import type { SanitizedConfig } from 'payload'

type Handler = (req: Request, args: { params: Promise<{ slug: string[] }> }) => Promise<Response>

export interface PayloadRestServer {
  url: string
  close(): Promise<void>
}

/** Serves on `port` (default: a free one); a test may bring a stopped CMS back on the port it had. */
export async function servePayloadRest(config: SanitizedConfig, port = 0): Promise<PayloadRestServer> {
  // The app's own handlers, with its error mapping (api/routes.ts).
  const { restRoutes } = await import('../api/routes.ts')
  const routes = restRoutes(config)
  const handlers: Record<string, Handler> = {
    GET: routes.GET as Handler,
    POST: routes.POST as Handler,
    PATCH: routes.PATCH as Handler,
    PUT: routes.PUT as Handler,
    DELETE: routes.DELETE as Handler,
  }
  const server = http.createServer(async (req, res) => {
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const handler = handlers[req.method ?? 'GET']
      if (!handler || !url.pathname.startsWith('/api/')) {
        res.writeHead(404).end()
        return
      }
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
      const request = new Request(url, {
        method: req.method,
        headers,
        body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : Buffer.concat(chunks),
        signal: abort.signal,
      })
      const slug = url.pathname
        .replace(/^\/api\//, '')
        .split('/')
        .filter(Boolean)
        .map(decodeURIComponent)
      const response = await handler(request, { params: Promise.resolve({ slug }) })
      res.writeHead(response.status, Object.fromEntries(response.headers))
      if (!response.body) return void res.end()
      Readable.fromWeb(response.body as never)
        .on('error', () => res.destroy())
        .pipe(res)
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        // Keep-alive connections of the app under test would hold close() open.
        server.closeAllConnections()
      }),
  }
}
