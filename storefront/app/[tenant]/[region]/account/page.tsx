import { shopContext } from '@lib/data/context'
import { customerToken, getCustomer } from '@lib/data/customer'
import { listCustomerOrders } from '@lib/data/orders'
import { listRegions } from '@lib/data/regions'
import AuthForms from '@modules/account/components/AuthForms'
import AccountTemplate from '@modules/account/templates/AccountTemplate'
import type { Metadata } from 'next'

// Per shopper (cookies or the query string): never cached.
export const dynamic = 'force-dynamic'

export const metadata: Metadata = { title: 'Account', robots: { index: false } }

export default async function AccountPage({ params }: { params: Promise<{ tenant: string; region: string }> }) {
  const context = await shopContext((await params).tenant)
  const customer = await getCustomer(context)
  if (!customer)
    return (
      <>
        <h1>Your account</h1>
        <AuthForms />
      </>
    )
  const [orders, regions] = await Promise.all([
    listCustomerOrders(context, (await customerToken(context))!),
    listRegions(context),
  ])
  const countries = regions.flatMap((r) => r.countries).sort((a, b) => a.display_name.localeCompare(b.display_name))
  return <AccountTemplate customer={customer} orders={orders} countries={countries} />
}
