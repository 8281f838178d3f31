'use client'
import type { JsonSchema } from '@lib/data/agents'
import { runNow } from '@modules/runs/actions'
import { useState, useTransition } from 'react'

/** Inputs for one JSON Schema property; objects nest one level (e.g. a target { collection, id }). */
function Field({ name, schema, path }: { name: string; schema: JsonSchema; path: string }) {
  const label = `${name}${schema.description ? ` — ${schema.description}` : ''}`
  if (schema.type === 'object' && schema.properties)
    return (
      <fieldset>
        <legend>{name}</legend>
        {Object.entries(schema.properties).map(([k, s]) => (
          <Field key={k} name={k} schema={s} path={`${path}.${k}`} />
        ))}
      </fieldset>
    )
  if (schema.enum)
    return (
      <label>
        {label}
        <select name={path} defaultValue={String(schema.default ?? '')}>
          <option value="" />
          {schema.enum.map((v) => (
            <option key={String(v)}>{String(v)}</option>
          ))}
        </select>
      </label>
    )
  if (schema.type === 'boolean')
    return (
      <label>
        <input type="checkbox" name={path} /> {label}
      </label>
    )
  return (
    <label>
      {label}
      <input
        name={path}
        data-type={schema.type ?? 'string'}
        inputMode={schema.type === 'number' || schema.type === 'integer' ? 'decimal' : undefined}
      />
    </label>
  )
}

/** FormData → the input object (numbers and booleans typed by the schema; empty fields left out). */
function inputFrom(form: HTMLFormElement): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  for (const el of Array.from(form.elements) as HTMLInputElement[]) {
    if (!el.name?.startsWith('input.')) continue
    const keys = el.name.split('.').slice(1)
    let value: unknown = el.type === 'checkbox' ? el.checked : el.value
    if (value === '') continue
    const type = el.dataset.type
    if ((type === 'number' || type === 'integer') && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
      value = Number(value)
    let target = input
    for (const k of keys.slice(0, -1)) {
      target[k] ??= {}
      target = target[k] as Record<string, unknown>
    }
    target[keys[keys.length - 1]!] = value
  }
  return input
}

export function RunNowForm({ tenant, agent, schema }: { tenant: string; agent: string; schema?: JsonSchema }) {
  const [error, setError] = useState<string>()
  const [pending, start] = useTransition()
  return (
    <form
      data-run-now={agent}
      onSubmit={(e) => {
        e.preventDefault()
        const input = inputFrom(e.currentTarget)
        start(async () => setError((await runNow(tenant, agent, input))?.error))
      }}
    >
      {Object.entries(schema?.properties ?? {}).map(([k, s]) => (
        <Field key={k} name={k} schema={s} path={`input.${k}`} />
      ))}
      <button type="submit" disabled={pending}>
        Run now
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
