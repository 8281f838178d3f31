'use client'
import { useRouter } from 'next/navigation'
import { useEffect } from 'react'

/** Live updates: re-renders the server page every few seconds while it is visible. */
export function AutoRefresh({ intervalMs = 4000 }: { intervalMs?: number }) {
  const router = useRouter()
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh()
    }, intervalMs)
    return () => clearInterval(timer)
  }, [router, intervalMs])
  return null
}
