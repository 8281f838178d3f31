'use client'
/**
 * Read-only JSON for the agent collections' json fields (input, output, usage, proposals, step data).
 * These rows are written by the runtime, never edited in the admin, and Payload's JSON editor would
 * fetch its code editor from a CDN; a formatted block loads nothing.
 */
import { FieldLabel, useField } from '@payloadcms/ui'
import type { JSONFieldClientComponent } from 'payload'

const MAX = 20_000

export const JsonView: JSONFieldClientComponent = ({ field, path }) => {
  const { value } = useField<unknown>({ potentiallyStalePath: path })
  const text = value === undefined || value === null ? '' : JSON.stringify(value, null, 2)
  return (
    <div
      className="field-type json"
      style={{ marginBottom: 'var(--spacing-field, 24px)' }}
      data-json-field={field.name}
    >
      <FieldLabel label={field.label ?? field.name} path={path} />
      {text ? (
        <pre
          style={{
            background: 'var(--theme-elevation-50)',
            border: '1px solid var(--theme-elevation-150)',
            borderRadius: 4,
            padding: 12,
            maxHeight: 420,
            overflow: 'auto',
            whiteSpace: 'pre-wrap',
            fontSize: 12,
            margin: 0,
          }}
        >
          {text.length > MAX ? `${text.slice(0, MAX)}\n… (${text.length - MAX} more characters)` : text}
        </pre>
      ) : (
        <div style={{ color: 'var(--theme-elevation-500)' }}>—</div>
      )}
    </div>
  )
}
