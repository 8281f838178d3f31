import Link from 'next/link'

/** The floor: a static App Router page with one link and no client components of its own. */
export default function Page() {
  return (
    <main>
      <h1>Bare Next.js page</h1>
      <p>
        Lighthouse's baseline for the storefront bench: what Next's and React's runtime alone cost on this machine, with
        no data, images or components of ours.
      </p>
      <Link href="/">Home</Link>
    </main>
  )
}
