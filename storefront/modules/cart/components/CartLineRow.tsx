'use client'
import { removeLineItem, updateLineItem } from '@lib/data/cart-actions'
import type { ActionState } from '@lib/data/cart-types'
import { useActionState } from 'react'

/** One cart line: quantity change and removal, each a form (keyboard and no-JS friendly). */
export default function CartLineRow({
  id,
  title,
  variantTitle,
  thumbnail,
  quantity,
  unitPrice,
  total,
}: {
  id: string
  title: string
  variantTitle?: string | null
  thumbnail?: string | null
  quantity: number
  unitPrice: string
  total: string
}) {
  const [updateState, update, updating] = useActionState<ActionState, FormData>(updateLineItem, {})
  const [removeState, remove, removing] = useActionState<ActionState, FormData>(removeLineItem, {})
  const message = updateState.message ?? removeState.message
  return (
    <tr data-testid="cart-line">
      <td>{thumbnail && <img src={thumbnail} alt="" width={64} height={64} />}</td>
      <td>
        <strong>{title}</strong>
        {variantTitle && <div className="muted">{variantTitle}</div>}
        <div className="muted">{unitPrice} each</div>
        {message && !updateState.ok && (
          <p className="alert alert-error" role="alert">
            {message}
          </p>
        )}
      </td>
      <td>
        <form action={update} style={{ display: 'flex', gap: '.4rem', alignItems: 'center' }}>
          <input type="hidden" name="lineId" value={id} />
          <label htmlFor={`qty-${id}`} className="visually-hidden">
            Quantity of {title}
          </label>
          <input
            id={`qty-${id}`}
            name="quantity"
            type="number"
            min={0}
            max={99}
            defaultValue={quantity}
            key={quantity}
            style={{ width: '4.5rem' }}
          />
          <button type="submit" className="btn btn-secondary" disabled={updating}>
            Update
          </button>
        </form>
      </td>
      <td className="price">{total}</td>
      <td>
        <form action={remove}>
          <input type="hidden" name="lineId" value={id} />
          <button type="submit" className="btn-link" disabled={removing} aria-label={`Remove ${title}`}>
            Remove
          </button>
        </form>
      </td>
    </tr>
  )
}
