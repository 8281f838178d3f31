'use client'
import { type SignInState, signIn } from '@modules/auth/actions'
import { useActionState } from 'react'

export function SignInTemplate({ next, expired }: { next?: string; expired?: boolean }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, {})
  return (
    <main className="sign-in">
      <h1>BizOSaaS portal</h1>
      {expired && !state.error && <p className="note">Sign in to continue to the page you asked for.</p>}
      <form action={action} data-sign-in>
        <input type="hidden" name="next" value={next ?? '/'} />
        <label>
          Email
          <input name="email" type="email" autoComplete="username" defaultValue={state.email} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {state.error && (
          <p role="alert" className="error">
            {state.error}
          </p>
        )}
        <button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
