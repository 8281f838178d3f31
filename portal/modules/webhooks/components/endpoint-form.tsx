'use client'
import { WEBHOOK_EVENTS } from '@lib/webhook-events'
import { addWebhookEndpoint, type WebhookResult } from '@modules/webhooks/actions'
import { useActionState } from 'react'
import { SecretOnce } from './secret-once'

export function EndpointForm({ tenant }: { tenant: string }) {
  const [state, action, pending] = useActionState<WebhookResult, FormData>(addWebhookEndpoint.bind(null, tenant), {})
  return (
    <form action={action} data-webhook-form className="card">
      <h2>Add an endpoint</h2>
      <label>
        URL <input name="url" type="url" required maxLength={2000} placeholder="https://example.com/webhooks" />
      </label>
      <label>
        Description (optional) <input name="description" maxLength={500} placeholder="Zapier: new orders" />
      </label>
      <fieldset>
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event}>
            <input type="checkbox" name="events" value={event} defaultChecked={event === 'run.finished'} /> {event}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={pending}>
        Add
      </button>
      {state.message && (
        <p className="ok" role="status">
          {state.message}
        </p>
      )}
      {state.secret && <SecretOnce secret={state.secret} />}
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  )
}
