import { readMediaFile, tenantOwnsMedia } from '@lib/data/media'
import { getTenant } from '@lib/data/tenants'

export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string; filename: string }> }) {
  const { tenant: slug, filename } = await params
  const tenant = await getTenant(slug)
  if (!tenant || !(await tenantOwnsMedia(tenant, filename))) return new Response('Not found', { status: 404 })
  const file = await readMediaFile(filename)
  if (!file.ok) return new Response('Not found', { status: file.status === 404 ? 404 : 502 })
  return new Response(file.body as BodyInit, {
    headers: {
      'content-type': file.contentType,
      // Payload names files uniquely; a replaced image gets a new name.
      'cache-control': 'public, max-age=86400, stale-while-revalidate=604800',
    },
  })
}
