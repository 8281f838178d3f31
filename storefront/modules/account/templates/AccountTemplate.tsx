import type { Customer } from '@lib/data/customer'
import { logout } from '@lib/data/customer-actions'
import type { Order } from '@lib/data/orders'
import { formatMoney } from '@lib/money'
import AddressBook from '../components/AddressBook'

export default function AccountTemplate({
  customer,
  orders,
  countries,
}: {
  customer: Customer
  orders: Order[]
  countries: { iso_2: string; display_name: string }[]
}) {
  return (
    <>
      <h1>Your account</h1>
      <p>
        Signed in as <strong data-testid="customer-email">{customer.email}</strong>
      </p>
      <form action={logout}>
        <button type="submit" className="btn btn-secondary">
          Log out
        </button>
      </form>
      <section aria-labelledby="orders-heading">
        <h2 id="orders-heading">Orders</h2>
        {orders.length === 0 ? (
          <p className="muted">You have not ordered anything here yet.</p>
        ) : (
          <table className="cart-table" data-testid="orders">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Date</th>
                <th scope="col">Items</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id}>
                  <td>#{order.display_id}</td>
                  <td>{new Date(order.created_at).toLocaleDateString('en-GB')}</td>
                  <td>{order.items.map((i) => `${i.quantity} × ${i.product_title ?? i.title}`).join(', ')}</td>
                  <td>{formatMoney(order.total, order.currency_code)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <AddressBook
        countries={countries}
        addresses={customer.addresses.map((a) => ({
          id: a.id,
          text: `${a.first_name ?? ''} ${a.last_name ?? ''}, ${a.address_1 ?? ''}, ${a.postal_code ?? ''} ${a.city ?? ''}, ${(a.country_code ?? '').toUpperCase()}`,
        }))}
      />
    </>
  )
}
