/**
 * Malformed requests against every route of a Next.js app (storefront, portal): the routes are read
 * from the app directory (every `page.tsx` and `route.ts`), so a page added later is probed too. Each
 * dynamic segment gets bad values, each route bad query strings, each route handler bad bodies, and
 * each page a server-action POST with a made-up action id and broken form data. Any 5xx is a failure.
 */
import { readdir, readFile } from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'

/** Values a person or a broken link may put where an id, slug or handle goes. */
export const BAD_SEGMENTS = ['not-a-number', '-1', '1e999', '0', '..%2F..%2Fetc', '%00', '%E0%A4%A', 'x'.repeat(3000)]

/** Query strings the pages do not expect. */
export const BAD_QUERIES = [
  'page=0',
  'page=-3',
  'page=abc',
  'limit=-5',
  'q=%E0%A4%A',
  `q=${'z'.repeat(3000)}`,
  'sort=nonexistent',
  'tenant=not-a-number',
  'where[and]=x',
  'status=%00',
  'from=not-a-date&to=1e999',
  'next=//evil.example',
]

const BAD_BODIES: { type: string; body: string }[] = [
  { type: 'application/json', body: '{"broken": ' },
  { type: 'application/json', body: '[1, 2]' },
  { type: 'application/json', body: '{"tags": 5, "tag": ["x"], "secret": {"$ne": 1}, "id": "../"}' },
  { type: 'text/plain', body: 'not json' },
  { type: 'multipart/form-data; boundary=nope', body: '--nope\r\nContent-Disposition: form-data; name="x"\r\n\r\n' },
]

export interface AppRoute {
  /** `/t/[tenant]/runs/[id]` — the URL path with its dynamic segments in brackets. */
  template: string
  kind: 'page' | 'route'
  /** The HTTP methods a route handler exports (pages: GET). */
  methods: string[]
}

/** Every page and route handler under `appDir`, with `(groups)` removed and `strip` cut from the front. */
export async function appRoutes(appDir: string, strip = ''): Promise<AppRoute[]> {
  const routes: AppRoute[] = []
  for (const entry of await readdir(appDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/^(page\.tsx|route\.ts)$/.test(entry.name)) continue
    const dir = path.relative(appDir, entry.parentPath)
    let template = `/${dir
      .split(path.sep)
      .filter((s) => s && !/^\(.*\)$/.test(s))
      .join('/')}`
    if (strip && template.startsWith(strip)) template = template.slice(strip.length) || '/'
    if (entry.name === 'page.tsx') routes.push({ template, kind: 'page', methods: ['GET'] })
    else {
      const source = await readFile(path.join(entry.parentPath, entry.name), 'utf8')
      const methods = [
        ...source.matchAll(/export\s+(?:async\s+function|const|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
      ].map((m) => m[1]!)
      routes.push({ template, kind: 'route', methods })
    }
  }
  return routes.sort((a, b) => a.template.localeCompare(b.template))
}

/** The template with every dynamic segment set to each bad value in turn (and the `known` ones kept). */
export function malformedPaths(template: string, known: Record<string, string> = {}): string[] {
  const dynamic = [...template.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]!)
  const fill = (value: (name: string) => string) =>
    template.replace(/\[\[?(?:\.\.\.)?([^\]]+)\]\]?/g, (_, name: string) => value(name))
  const unknown = dynamic.filter((name) => !(name in known))
  if (!dynamic.length) return [template]
  // Each unknown segment bad while the known ones stay right; then the known ones bad as well.
  const paths = BAD_SEGMENTS.map((bad) => fill((name) => (name in known && unknown.length ? known[name]! : bad)))
  if (unknown.length && Object.keys(known).length) paths.push(...BAD_SEGMENTS.slice(0, 3).map((bad) => fill(() => bad)))
  return [...new Set(paths)]
}

export interface Probe {
  method: string
  path: string
  headers: Record<string, string>
  body?: string
}

/** Every malformed request for the routes (paths × bad segments, queries, bodies, server actions). */
export function malformedProbes(routes: AppRoute[], known: Record<string, string> = {}): Probe[] {
  const probes: Probe[] = []
  for (const route of routes) {
    const paths = malformedPaths(route.template, known)
    const first = paths[0]!
    for (const method of route.methods) {
      for (const p of paths) probes.push({ method, path: p, headers: {} })
      if (method === 'GET') for (const q of BAD_QUERIES) probes.push({ method, path: `${first}?${q}`, headers: {} })
      else
        for (const b of BAD_BODIES)
          probes.push({ method, path: first, headers: { 'content-type': b.type }, body: b.body })
    }
    if (route.kind === 'page') {
      // A server action that does not exist, and one with a body that is not form data.
      probes.push({
        method: 'POST',
        path: first,
        headers: { 'next-action': '0000000000000000000000000000000000000000', 'content-type': 'text/plain' },
        body: '["$broken',
      })
      probes.push({
        method: 'POST',
        path: first,
        headers: { 'next-action': 'not-an-action', 'content-type': 'multipart/form-data; boundary=nope' },
        body: '--nope\r\nContent-Disposition: form-data; name="1_$ACTION_ID_x"\r\n\r\n{broken\r\n--nope--',
      })
    }
  }
  return probes
}

export interface ProbeFailure {
  probe: string
  status: number
  body: string
}

/**
 * Sends each probe to `127.0.0.1:port` with the given Host header (a tenant's domain), cookie and headers, and
 * returns those answered with a 5xx (or not answered at all).
 */
export async function sendProbes(
  port: number,
  probes: Probe[],
  options: { host?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<ProbeFailure[]> {
  const failures: ProbeFailure[] = []
  for (const probe of probes) {
    const label = `${probe.method} ${probe.path.slice(0, 100)}${probe.body ? ` [${probe.headers['content-type']}]` : ''}`
    try {
      const res = await request(port, probe, options)
      if (res.status >= 500) failures.push({ probe: label, status: res.status, body: res.body.slice(0, 200) })
    } catch (error) {
      failures.push({ probe: label, status: 0, body: String(error) })
    }
  }
  return failures
}

function request(
  port: number,
  probe: Probe,
  options: { host?: string; cookie?: string; headers?: Record<string, string> },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers, ...probe.headers }
    if (options.host) headers.host = options.host
    if (options.cookie) headers.cookie = options.cookie
    if (probe.body !== undefined) headers['content-length'] = String(Buffer.byteLength(probe.body))
    const req = http.request(
      { host: '127.0.0.1', port, method: probe.method, path: probe.path, headers, timeout: 30_000 },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        // Streams (server-sent events) are not read to their end: the status is what matters.
        if (String(res.headers['content-type']).includes('event-stream')) {
          res.destroy()
          return resolve({ status: res.statusCode ?? 0, body: '' })
        }
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')))
    req.on('error', reject)
    if (probe.body !== undefined) req.write(probe.body)
    req.end()
  })
}
