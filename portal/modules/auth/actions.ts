'use server'
import { cmsErrorMessage, cmsFetch } from '@lib/data/cms'
import { SESSION_COOKIE, sessionCookieOptions } from '@lib/session'
/** Sign in and out: Payload's login gives the JWT, kept in an http-only cookie (never readable by scripts). */
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'

const signInForm = z.object({
  email: z.email('Enter your email address'),
  password: z.string().min(1, 'Enter your password'),
  next: z.string().optional(),
})

/** Only same-site paths, so `?next=` cannot send a user to another site. */
const safeNext = (next?: string) => (next?.startsWith('/') && !next.startsWith('//') ? next : '/')

export interface SignInState {
  error?: string
  email?: string
}

export async function signIn(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInForm.safeParse(Object.fromEntries(form))
  if (!parsed.success) return { error: parsed.error.issues[0]!.message, email: String(form.get('email') ?? '') }
  const { email, password, next } = parsed.data
  const res = await cmsFetch<{ token?: string; exp?: number }>('/users/login', {
    method: 'POST',
    body: { email, password },
  })
  if (!res.ok || !res.body.token)
    return {
      email,
      error:
        res.status === 401
          ? 'That email and password do not match an account.'
          : res.status === 429
            ? // The CMS's rate limit says what was refused and for how long.
              cmsErrorMessage(res.body, 'Too many sign-in attempts; try again later.')
            : 'The CMS could not sign you in right now; try again in a moment.',
    }
  const maxAge = res.body.exp ? Math.max(60, res.body.exp - Math.floor(Date.now() / 1000)) : 7200
  ;(await cookies()).set(SESSION_COOKIE, res.body.token, { ...sessionCookieOptions(), maxAge })
  redirect(safeNext(next))
}

export async function signOut(): Promise<void> {
  const jar = await cookies()
  const token = jar.get(SESSION_COOKIE)?.value
  if (token) await cmsFetch('/users/logout', { method: 'POST', token, body: {} }).catch(() => {})
  jar.delete(SESSION_COOKIE)
  redirect('/sign-in')
}
