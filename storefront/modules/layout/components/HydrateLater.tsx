import { type ReactNode, Suspense } from 'react'

/**
 * Server-rendered markup that React hydrates after the page's shell, in small time slices, instead of in
 * the one long task that hydrates the shell: a `<Suspense>` boundary that arrives complete in the HTML
 * is hydrated at React's offscreen priority, which yields to the browser every few milliseconds. A phone
 * (Lighthouse: 4× slower CPU) then never sees one hydration task block input for a second. The markup
 * is visible and its links and forms work meanwhile; an event on it is replayed once it is hydrated.
 *
 * Only for children that cannot suspend (their data is loaded before this renders): a boundary around
 * data fetching would let a page be sent before it knows it is a 404 or a failure.
 */
export default function HydrateLater({ children }: { children: ReactNode }) {
  return <Suspense>{children}</Suspense>
}
