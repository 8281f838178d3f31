'use client'
import { placeOrder } from '@lib/data/cart-actions'
import type { ActionState } from '@lib/data/cart-types'
import { useActionState } from 'react'

/** Delivery method, the manual payment method, and placing the order. */
export default function DeliveryForm({
  options,
  selected,
}: {
  options: { id: string; name: string; price: string }[]
  selected?: string
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(placeOrder, {})
  return (
    <form action={action} aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">2. Delivery and payment</h2>
      <fieldset>
        <legend>Delivery method</legend>
        {options.length === 0 && <p className="alert alert-error">We cannot deliver to this address yet.</p>}
        {options.map((option, index) => (
          <div key={option.id} style={{ marginBottom: '.4rem' }}>
            <label style={{ fontWeight: 400, display: 'flex', gap: '.5rem', alignItems: 'center' }}>
              <input
                type="radio"
                name="shippingOptionId"
                value={option.id}
                defaultChecked={selected ? selected === option.id : index === 0}
              />
              {option.name} — {option.price}
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>Payment</legend>
        <label style={{ fontWeight: 400, display: 'flex', gap: '.5rem', alignItems: 'center' }}>
          <input type="radio" name="payment" value="pp_system_default" defaultChecked readOnly />
          Pay on invoice (manual payment)
        </label>
      </fieldset>
      {state.message && (
        <p className="alert alert-error" role="alert">
          {state.message}
        </p>
      )}
      <button type="submit" className="btn" disabled={pending || options.length === 0}>
        {pending ? 'Placing your order…' : 'Place order'}
      </button>
    </form>
  )
}
