/** A labelled input with its error beside it (aria-invalid / aria-describedby). */
export default function FormField({
  name,
  label,
  type = 'text',
  autoComplete,
  error,
  defaultValue,
  form,
}: {
  /** Prefix that keeps ids unique when two forms share a page. */
  form: string
  name: string
  label: string
  type?: string
  autoComplete?: string
  error?: string
  defaultValue?: string
}) {
  const id = `${form}-${name}`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        aria-invalid={Boolean(error) || undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}
