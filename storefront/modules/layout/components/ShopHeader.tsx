import { mediaRef } from '@lib/data/cms'
import type { Tenant } from '@lib/data/tenants'
import Link from 'next/link'
import HydrateLater from './HydrateLater'

/**
 * Brand, navigation and search; no per-shopper data, so every page around it can be cached. Links are
 * not prefetched: on load, five RSC prefetches (two of them per-shopper pages) would compete with the
 * page for a phone's network and main thread; the pages come from the cache in milliseconds on click.
 */
export default function ShopHeader({ tenant, hasShop }: { tenant: Tenant; hasShop: boolean }) {
  const logo = mediaRef(tenant.brand?.logo, 'thumbnail')
  return (
    <HydrateLater>
      <header className="header">
        <div className="header-inner">
          <Link href="/" className="brand" prefetch={false}>
            {/* Low priority: React would otherwise preload it ahead of the page's largest image. */}
            {logo && <img src={logo.url} alt="" width={40} height={40} fetchPriority="low" decoding="async" />}
            <span>{tenant.name}</span>
          </Link>
          <nav className="nav" aria-label="Main">
            {hasShop && (
              <Link href="/store" prefetch={false}>
                Shop
              </Link>
            )}
            <Link href="/blog" prefetch={false}>
              Blog
            </Link>
            {hasShop && (
              <Link href="/account" prefetch={false}>
                Account
              </Link>
            )}
            {hasShop && (
              <Link href="/cart" prefetch={false}>
                Cart
              </Link>
            )}
          </nav>
          {hasShop && (
            <form className="search" action="/search" aria-label="Product search">
              <label htmlFor="q" className="visually-hidden">
                Search products
              </label>
              <input id="q" name="q" type="search" placeholder="Search products" maxLength={100} />
              <button className="btn" type="submit">
                Search
              </button>
            </form>
          )}
        </div>
      </header>
    </HydrateLater>
  )
}
