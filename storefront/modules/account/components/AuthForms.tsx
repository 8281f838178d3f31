'use client'
import type { ActionState } from '@lib/data/cart-types'
import { login, register } from '@lib/data/customer-actions'
import { useActionState } from 'react'
import FormField from './FormField'

function Message({ state }: { state: ActionState }) {
  if (!state.message) return null
  return (
    <p className={`alert ${state.ok ? 'alert-ok' : 'alert-error'}`} role="alert">
      {state.message}
    </p>
  )
}

/** Log in and create an account, side by side. */
export default function AuthForms() {
  const [loginState, loginAction, loggingIn] = useActionState<ActionState, FormData>(login, {})
  const [registerState, registerAction, registering] = useActionState<ActionState, FormData>(register, {})
  return (
    <div className="product">
      <form action={loginAction} noValidate aria-labelledby="login-heading">
        <h2 id="login-heading">Log in</h2>
        <Message state={loginState} />
        <FormField
          form="login"
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          error={loginState.fieldErrors?.email}
          defaultValue={loginState.values?.email}
        />
        <FormField
          form="login"
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          error={loginState.fieldErrors?.password}
        />
        <button type="submit" className="btn" disabled={loggingIn}>
          Log in
        </button>
      </form>
      <form action={registerAction} noValidate aria-labelledby="register-heading">
        <h2 id="register-heading">Create an account</h2>
        <Message state={registerState} />
        <div className="form-grid">
          <FormField
            form="register"
            name="first_name"
            defaultValue={registerState.values?.first_name}
            label="First name"
            autoComplete="given-name"
            error={registerState.fieldErrors?.first_name}
          />
          <FormField
            form="register"
            name="last_name"
            defaultValue={registerState.values?.last_name}
            label="Last name"
            autoComplete="family-name"
            error={registerState.fieldErrors?.last_name}
          />
        </div>
        <FormField
          form="register"
          name="email"
          defaultValue={registerState.values?.email}
          label="Email address"
          type="email"
          autoComplete="email"
          error={registerState.fieldErrors?.email}
        />
        <FormField
          form="register"
          name="password"
          label="Choose a password"
          type="password"
          autoComplete="new-password"
          error={registerState.fieldErrors?.password}
        />
        <button type="submit" className="btn" disabled={registering}>
          Create account
        </button>
      </form>
    </div>
  )
}
