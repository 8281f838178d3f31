import { connection } from 'next/server'
import type { ReactNode } from 'react'
import './globals.css'

export const metadata = { title: 'BizOSaaS portal' }

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page per request (none prerendered), so each carries the nonce of its CSP (proxy.ts).
  await connection()
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
