import '../globals.css'
import { tenantBySlug } from '@lib/data/context'
import { shopOf } from '@lib/data/tenants'
import ShopFooter from '@modules/layout/components/ShopFooter'
import ShopHeader from '@modules/layout/components/ShopHeader'
import type { Metadata, Viewport } from 'next'
import { headers } from 'next/headers'
import type { CSSProperties, ReactNode } from 'react'

export const viewport: Viewport = { width: 'device-width', initialScale: 1 }

export async function generateMetadata({ params }: { params: Promise<{ tenant: string }> }): Promise<Metadata> {
  const tenant = await tenantBySlug((await params).tenant)
  const host = (await headers()).get('host') ?? 'localhost'
  const proto = (await headers()).get('x-forwarded-proto') ?? 'http'
  return {
    metadataBase: new URL(`${proto}://${host}`),
    title: { default: tenant.name, template: `%s — ${tenant.name}` },
    openGraph: { siteName: tenant.name, type: 'website' },
  }
}

export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode
  params: Promise<{ tenant: string }>
}) {
  const tenant = await tenantBySlug((await params).tenant)
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
        <ShopFooter tenant={tenant} />
      </body>
    </html>
  )
}
