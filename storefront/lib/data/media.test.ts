/**
 * Media files against a real HTTP Payload stand-in: small files are read from Payload once and then
 * served from memory; large ones always stream from Payload; failures are not kept.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const files: Record<string, Buffer> = {
  'hero-800x450.webp': Buffer.alloc(5_000, 1),
  'poster.pdf': Buffer.alloc(1024 * 1024 + 1, 2),
}
const served: string[] = []
let server: http.Server

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const name = decodeURIComponent(req.url?.replace('/api/media/file/', '') ?? '')
    served.push(name)
    const file = files[name]
    if (!file) {
      res.writeHead(404).end('not found')
      return
    }
    // Like Payload's file endpoint: with a length; the PDF without (chunked), to be read up to the limit.
    const pdf = name.endsWith('.pdf')
    res.writeHead(200, {
      'content-type': pdf ? 'application/pdf' : 'image/webp',
      ...(pdf ? {} : { 'content-length': String(file.length) }),
    })
    res.end(file)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.env.CMS_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function bytes(body: Uint8Array | ReadableStream<Uint8Array>): Promise<number> {
  return body instanceof Uint8Array ? body.byteLength : (await new Response(body).arrayBuffer()).byteLength
}

describe('media files', () => {
  it('reads a small file from Payload once, then from memory', async () => {
    const { readMediaFile } = await import('./media')
    for (let i = 0; i < 3; i++) {
      const file = await readMediaFile('hero-800x450.webp')
      expect(file.ok).toBe(true)
      if (!file.ok) return
      expect(file.contentType).toBe('image/webp')
      expect(await bytes(file.body)).toBe(5_000)
    }
    expect(served.filter((n) => n === 'hero-800x450.webp')).toHaveLength(1)
  })

  it('streams files over 1 MB (length unknown) from Payload every time, and keeps no failure', async () => {
    const { readMediaFile } = await import('./media')
    for (let i = 0; i < 2; i++) {
      const file = await readMediaFile('poster.pdf')
      expect(file.ok && (await bytes(file.body))).toBe(1024 * 1024 + 1)
    }
    expect(served.filter((n) => n === 'poster.pdf')).toHaveLength(2)
    expect(await readMediaFile('gone.png')).toEqual({ ok: false, status: 404 })
    files['gone.png'] = Buffer.alloc(10, 3)
    expect((await readMediaFile('gone.png')).ok).toBe(true)
  })
})
