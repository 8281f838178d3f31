'use client'
import { addToCart } from '@lib/data/cart-actions'
import type { ActionState } from '@lib/data/cart-types'
import Link from 'next/link'
import { useActionState, useMemo, useState } from 'react'

export interface PickerOption {
  id: string
  title: string
  values: string[]
}

export interface PickerVariant {
  id: string
  /** option id → value */
  options: Record<string, string>
  price: string | null
  stockLabel: string
  inStock: boolean
  /** null when stock is not tracked */
  available: number | null
}

/** Options as radio groups, the matching variant's price and stock, and the add-to-cart form. */
export default function VariantPicker({ options, variants }: { options: PickerOption[]; variants: PickerVariant[] }) {
  const initial = variants.find((v) => v.inStock) ?? variants[0]
  const [selected, setSelected] = useState<Record<string, string>>(initial?.options ?? {})
  const variant = useMemo(
    () => variants.find((v) => options.every((o) => v.options[o.id] === selected[o.id])),
    [variants, options, selected],
  )
  const [state, formAction, pending] = useActionState<ActionState, FormData>(addToCart, {})
  const max = variant?.available ?? 99

  return (
    <div>
      {options.map((option) => (
        <fieldset key={option.id}>
          <legend>{option.title}</legend>
          <div className="chips">
            {option.values.map((value) => (
              <label key={value} className="chip">
                <input
                  type="radio"
                  name={`option-${option.id}`}
                  value={value}
                  checked={selected[option.id] === value}
                  onChange={() => setSelected((s) => ({ ...s, [option.id]: value }))}
                />
                <span>{value}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}

      <p className="price" style={{ fontSize: '1.5rem', margin: '.5rem 0' }} data-testid="product-price">
        {variant?.price ?? '—'}
      </p>
      <p className={variant?.inStock ? 'stock-in' : 'stock-out'} data-testid="stock-state">
        {variant ? variant.stockLabel : 'This combination is not available'}
      </p>

      <form action={formAction} style={{ display: 'flex', gap: '.75rem', alignItems: 'end', flexWrap: 'wrap' }}>
        <input type="hidden" name="variantId" value={variant?.id ?? ''} />
        <div>
          <label htmlFor="quantity">Quantity</label>
          <input
            id="quantity"
            name="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={max}
            defaultValue={1}
            style={{ width: '6rem' }}
          />
        </div>
        <button type="submit" className="btn" disabled={!variant?.inStock || pending}>
          {pending ? 'Adding…' : variant?.inStock === false ? 'Out of stock' : 'Add to cart'}
        </button>
      </form>
      <div role="status" aria-live="polite">
        {state.message && (
          <p className={`alert ${state.ok ? 'alert-ok' : 'alert-error'}`}>
            {state.message} {state.ok && <Link href="/cart">View cart</Link>}
          </p>
        )}
      </div>
    </div>
  )
}
