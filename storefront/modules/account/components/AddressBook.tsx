'use client'
import type { ActionState } from '@lib/data/cart-types'
import { addAddress } from '@lib/data/customer-actions'
import { useActionState } from 'react'
import FormField from './FormField'

export default function AddressBook({
  addresses,
  countries,
}: {
  addresses: { id: string; text: string }[]
  countries: { iso_2: string; display_name: string }[]
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(addAddress, {})
  const e = state.fieldErrors ?? {}
  return (
    <section aria-labelledby="addresses-heading">
      <h2 id="addresses-heading">Addresses</h2>
      {addresses.length === 0 ? (
        <p className="muted">No saved addresses yet.</p>
      ) : (
        <ul data-testid="addresses">
          {addresses.map((a) => (
            <li key={a.id}>{a.text}</li>
          ))}
        </ul>
      )}
      <details>
        <summary>Add an address</summary>
        <form action={action} noValidate>
          {state.message && (
            <p className={`alert ${state.ok ? 'alert-ok' : 'alert-error'}`} role="alert">
              {state.message}
            </p>
          )}
          <div className="form-grid">
            <FormField
              form="address"
              defaultValue={state.ok ? undefined : state.values?.first_name}
              name="first_name"
              label="First name"
              autoComplete="given-name"
              error={e.first_name}
            />
            <FormField
              form="address"
              defaultValue={state.ok ? undefined : state.values?.last_name}
              name="last_name"
              label="Last name"
              autoComplete="family-name"
              error={e.last_name}
            />
            <FormField
              form="address"
              defaultValue={state.ok ? undefined : state.values?.address_1}
              name="address_1"
              label="Street address"
              autoComplete="address-line1"
              error={e.address_1}
            />
            <FormField
              form="address"
              defaultValue={state.ok ? undefined : state.values?.city}
              name="city"
              label="Town or city"
              autoComplete="address-level2"
              error={e.city}
            />
            <FormField
              form="address"
              defaultValue={state.ok ? undefined : state.values?.postal_code}
              name="postal_code"
              label="Postcode"
              autoComplete="postal-code"
              error={e.postal_code}
            />
            <div className="field">
              <label htmlFor="address-country_code">Country</label>
              <select id="address-country_code" name="country_code" autoComplete="country">
                {countries.map((c) => (
                  <option key={c.iso_2} value={c.iso_2}>
                    {c.display_name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button type="submit" className="btn" disabled={pending}>
            Save address
          </button>
        </form>
      </details>
    </section>
  )
}
