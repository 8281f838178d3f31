'use client'
/** A connector's credentials form, generated from its zod schema's fields; secrets are password inputs, never prefilled. */
import type { CredentialField } from '@lib/data/connectors'
import { connectCredentials, type IntegrationResult } from '@modules/integrations/actions'
import { useActionState } from 'react'
import { ResultMessage } from './result-message'

function Field({ field, value }: { field: CredentialField; value?: string }) {
  const name = `field:${field.name}`
  const help = field.description ? <small>{field.description}</small> : null
  if (field.type === 'boolean')
    return (
      <label>
        <input type="checkbox" name={name} /> {field.label} {help}
      </label>
    )
  if (field.options?.length)
    return (
      <label>
        {field.label}
        <select name={name} defaultValue={value ?? field.options[0]} required={field.required}>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        {help}
      </label>
    )
  if (field.type === 'textarea')
    return (
      <label>
        {field.label}
        <textarea name={name} rows={6} required={field.required} autoComplete="off" spellCheck={false} />
        {help}
      </label>
    )
  return (
    <label>
      {field.label}
      <input
        name={name}
        type={field.secret ? 'password' : field.type === 'number' ? 'number' : field.type}
        required={field.required}
        autoComplete="off"
        defaultValue={field.secret ? undefined : value}
      />
      {help}
    </label>
  )
}

export function CredentialsForm({
  tenant,
  connector,
  name,
  fields,
}: {
  tenant: string
  connector: string
  name: string
  fields: CredentialField[]
}) {
  const [state, action, pending] = useActionState<IntegrationResult, FormData>(
    connectCredentials.bind(null, tenant, connector),
    {},
  )
  return (
    <form action={action} data-credentials-form={connector}>
      <fieldset disabled={pending} style={{ border: 0, padding: 0 }}>
        <label>
          Name (optional) <input name="name" maxLength={120} placeholder={name} defaultValue={state.values?.name} />
        </label>
        {fields.map((f) => (
          <Field key={f.name} field={f} value={state.values?.[f.name]} />
        ))}
        <button type="submit">Test and connect</button>
      </fieldset>
      <ResultMessage result={state} />
    </form>
  )
}
