import Link from 'next/link'

export default function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>We could not find that page. It may have moved or no longer exists.</p>
      <Link href="/" className="btn">
        Go to the home page
      </Link>
    </section>
  )
}
