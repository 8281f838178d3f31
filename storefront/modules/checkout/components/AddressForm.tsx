'use client'
import { saveCheckoutAddress } from '@lib/data/cart-actions'
import type { ActionState, CartAddress } from '@lib/data/cart-types'
import { useActionState } from 'react'

const FIELDS: {
  name: keyof CartAddress | 'email'
  label: string
  type?: string
  autoComplete: string
  optional?: boolean
}[] = [
  { name: 'email', label: 'Email', type: 'email', autoComplete: 'email' },
  { name: 'phone', label: 'Phone (optional)', type: 'tel', autoComplete: 'tel', optional: true },
  { name: 'first_name', label: 'First name', autoComplete: 'given-name' },
  { name: 'last_name', label: 'Last name', autoComplete: 'family-name' },
  { name: 'address_1', label: 'Street address', autoComplete: 'address-line1' },
  { name: 'address_2', label: 'Apartment, suite (optional)', autoComplete: 'address-line2', optional: true },
  { name: 'city', label: 'Town or city', autoComplete: 'address-level2' },
  { name: 'postal_code', label: 'Postcode', autoComplete: 'postal-code' },
]

/** Contact and delivery address; errors show beside their fields and the entered values stay. */
export default function AddressForm({
  email,
  address,
  countries,
}: {
  email?: string | null
  address?: CartAddress | null
  countries: { iso_2: string; display_name: string }[]
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(saveCheckoutAddress, {})
  const errors = state.fieldErrors ?? {}
  const saved: Record<string, string> = {
    email: email ?? '',
    ...Object.fromEntries(Object.entries(address ?? {}).map(([k, v]) => [k, v ?? ''])),
  }
  const initial = state.values ?? saved
  return (
    // Remounted when its starting values change, so a select shows the saved or re-entered choice.
    <form key={JSON.stringify(initial)} action={action} noValidate aria-labelledby="address-heading">
      <h2 id="address-heading">1. Contact and delivery</h2>
      {state.message && (
        <p className={`alert ${state.ok ? 'alert-ok' : 'alert-error'}`} role={state.ok ? 'status' : 'alert'}>
          {state.message}
        </p>
      )}
      <div className="form-grid">
        {FIELDS.map((field) => (
          <div className="field" key={field.name}>
            <label htmlFor={field.name}>{field.label}</label>
            <input
              id={field.name}
              name={field.name}
              type={field.type ?? 'text'}
              autoComplete={field.autoComplete}
              required={!field.optional}
              defaultValue={initial[field.name] ?? ''}
              aria-invalid={Boolean(errors[field.name]) || undefined}
              aria-describedby={errors[field.name] ? `${field.name}-error` : undefined}
            />
            {errors[field.name] && (
              <p className="field-error" id={`${field.name}-error`}>
                {errors[field.name]}
              </p>
            )}
          </div>
        ))}
        <div className="field">
          <label htmlFor="country_code">Country</label>
          <select
            id="country_code"
            name="country_code"
            autoComplete="country"
            defaultValue={initial.country_code || countries[0]?.iso_2}
            aria-invalid={Boolean(errors.country_code) || undefined}
            aria-describedby={errors.country_code ? 'country_code-error' : undefined}
          >
            {countries.map((c) => (
              <option key={c.iso_2} value={c.iso_2}>
                {c.display_name}
              </option>
            ))}
          </select>
          {errors.country_code && (
            <p className="field-error" id="country_code-error">
              {errors.country_code}
            </p>
          )}
        </div>
      </div>
      <button type="submit" className="btn" disabled={pending}>
        {pending ? 'Saving…' : 'Save and continue'}
      </button>
    </form>
  )
}
