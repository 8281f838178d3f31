'use client'
import type React from 'react'

/** The subset of JSON Schema the run form renders: top-level scalar and string-list properties. */
export interface PropertySchema {
  type?: string | string[]
  enum?: unknown[]
  description?: string
  default?: unknown
  minimum?: number
  maximum?: number
  items?: { type?: string; enum?: unknown[] }
}

export interface ObjectSchema {
  type?: string
  properties?: Record<string, PropertySchema>
  required?: string[]
}

/** Properties the form asks for; `target`, `feedback` and `locale` are filled in by the admin itself. */
export const AUTOMATIC_FIELDS = new Set(['target', 'feedback', 'locale'])

export function formFields(schema: ObjectSchema): Array<[string, PropertySchema, boolean]> {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {})
    .filter(([name, prop]) => !AUTOMATIC_FIELDS.has(name) && renderable(prop))
    .map(([name, prop]) => [name, prop, required.has(name)])
}

const typeOf = (prop: PropertySchema) => (Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type)

const renderable = (prop: PropertySchema) => {
  const type = typeOf(prop)
  return (
    prop.enum !== undefined ||
    type === 'string' ||
    type === 'number' ||
    type === 'integer' ||
    type === 'boolean' ||
    (type === 'array' && prop.items?.type === 'string')
  )
}

/** The value of one form field as the agent's input wants it. */
export function coerce(prop: PropertySchema, raw: string | boolean): unknown {
  const type = typeOf(prop)
  if (typeof raw === 'boolean') return raw
  if (raw.trim() === '') return undefined
  if (type === 'number' || type === 'integer') return Number(raw)
  if (type === 'array')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  return raw
}

const label = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())

const inputStyle: React.CSSProperties = {
  width: '100%',
  padding: '6px 8px',
  border: '1px solid var(--theme-elevation-150)',
  borderRadius: 'var(--style-radius-s, 3px)',
  background: 'var(--theme-input-bg, var(--theme-elevation-0))',
  color: 'var(--theme-text)',
}

/** One labelled input per property. */
export function SchemaFields({
  idPrefix,
  fields,
  values,
  onChange,
}: {
  idPrefix: string
  fields: Array<[string, PropertySchema, boolean]>
  values: Record<string, string | boolean>
  onChange: (name: string, value: string | boolean) => void
}): React.ReactElement {
  return (
    <>
      {fields.map(([name, prop, required]) => {
        const id = `${idPrefix}-${name}`
        const type = typeOf(prop)
        const value = values[name]
        return (
          <div key={name} style={{ marginBottom: 10 }}>
            <label htmlFor={id} style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>
              {label(name)}
              {required ? ' *' : ''}
            </label>
            {prop.enum ? (
              <select
                id={id}
                style={inputStyle}
                required={required}
                value={String(value ?? '')}
                onChange={(e) => onChange(name, e.target.value)}
              >
                <option value="">{required ? 'Choose…' : '(default)'}</option>
                {prop.enum.map((option) => (
                  <option key={String(option)} value={String(option)}>
                    {String(option)}
                  </option>
                ))}
              </select>
            ) : type === 'boolean' ? (
              <input
                id={id}
                type="checkbox"
                checked={value === true}
                onChange={(e) => onChange(name, e.target.checked)}
              />
            ) : (
              <input
                id={id}
                style={inputStyle}
                required={required}
                type={type === 'number' || type === 'integer' ? 'number' : 'text'}
                min={prop.minimum}
                max={prop.maximum}
                value={String(value ?? '')}
                placeholder={type === 'array' ? 'comma, separated, values' : undefined}
                onChange={(e) => onChange(name, e.target.value)}
              />
            )}
            {prop.description ? (
              <div style={{ color: 'var(--theme-elevation-500)', fontSize: 12, marginTop: 2 }}>{prop.description}</div>
            ) : null}
          </div>
        )
      })}
    </>
  )
}
