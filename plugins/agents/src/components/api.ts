/** Browser-side calls to the agents API (same origin as the admin, the admin's session cookie). */
import { useConfig } from '@payloadcms/ui'

// The one id module (it imports only Payload's types, so it is safe in the browser bundle).
export { type Id, idOf } from '../documents.ts'

/** The REST base of this Payload, e.g. `/api`. */
export function useApiBase(): string {
  const { config } = useConfig()
  return config.routes.api
}

/** JSON in, JSON out; a non-2xx answer throws with the server's message (ours or Payload's). */
export async function apiFetch<T>(api: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${api}${path}`, {
    credentials: 'include',
    ...init,
    headers: {
      accept: 'application/json',
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
  })
  const body = (await res.json().catch(() => ({}))) as {
    error?: string
    errors?: Array<{ message?: string }>
    message?: string
  }
  if (!res.ok)
    throw new Error(body.error ?? body.errors?.[0]?.message ?? body.message ?? `Request failed (${res.status})`)
  return body as T
}

/** `0.0123` → `$0.0123`; tiny amounts keep their significant digits. */
export function formatUsd(value: unknown): string {
  const n = Number(value ?? 0)
  if (!Number.isFinite(n) || n === 0) return '$0'
  if (n >= 1) return `$${n.toFixed(2)}`
  return `$${n.toPrecision(2).replace(/0+$/, '')}`
}

export function formatMs(value: unknown): string {
  const n = Number(value)
  if (!Number.isFinite(n)) return '–'
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`
}
