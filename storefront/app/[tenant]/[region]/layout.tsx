import '../../globals.css'
import { type RouteParams, tenantBySlug } from '@lib/data/context'
import { shopOf, tenantOrigin } from '@lib/data/tenants'
import ShopFooter from '@modules/layout/components/ShopFooter'
import ShopHeader from '@modules/layout/components/ShopHeader'
import type { Metadata, Viewport } from 'next'
import type { CSSProperties, ReactNode } from 'react'

export const viewport: Viewport = { width: 'device-width', initialScale: 1 }

// No tenant or region is known at build time: every page is rendered on its first request and then
// served from the cache (revalidated by tag), unless it reads the request (cart, checkout, account,
// listings with query strings).
export async function generateStaticParams(): Promise<RouteParams[]> {
  return []
}

export async function generateMetadata({ params }: { params: Promise<RouteParams> }): Promise<Metadata> {
  const tenant = await tenantBySlug((await params).tenant)
  return {
    metadataBase: new URL(tenantOrigin(tenant)),
    title: { default: tenant.name, template: `%s — ${tenant.name}` },
    openGraph: { siteName: tenant.name, type: 'website' },
  }
}

export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode
  params: Promise<RouteParams>
}) {
  const { tenant: slug, region } = await params
  const tenant = await tenantBySlug(slug)
  const style = {
    '--primary': tenant.brand?.primaryColor ?? '#1d4ed8',
    '--accent': tenant.brand?.accentColor ?? '#f59e0b',
  } as CSSProperties
  return (
    <html lang="en" style={style}>
      <body>
        <a className="skip" href="#content">
          Skip to content
        </a>
        <ShopHeader tenant={tenant} hasShop={Boolean(shopOf(tenant))} />
        <main id="content">{children}</main>
        <ShopFooter tenant={tenant} regionKey={region} />
      </body>
    </html>
  )
}
