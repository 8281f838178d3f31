'use client'
import { useEffect } from 'react'

/** Medusa or Payload unreachable (or anything unexpected): a friendly page with a retry. */
export default function ShopError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    // biome-ignore lint/suspicious/noConsole: a client component; this goes to the shopper's browser console.
    console.error(error)
  }, [error])
  return (
    <section role="alert">
      <h1>Something went wrong on our side</h1>
      <p>The shop could not load this page just now. Your cart is safe. Please try again in a moment.</p>
      <button type="button" className="btn" onClick={() => reset()}>
        Try again
      </button>
    </section>
  )
}
