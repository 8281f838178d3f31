import type { Field } from 'payload'

const isLink = (value: string) => /^\/(?!\/)/.test(value) || /^https?:\/\/\S+$/.test(value)

/** A labelled link: an internal path ("/about") or an absolute http(s) URL. */
export function linkFields({ required = true }: { required?: boolean } = {}): Field[] {
  return [
    { name: 'label', type: 'text', required },
    {
      name: 'url',
      type: 'text',
      required,
      validate: (value: unknown) => {
        if (!required && (value == null || value === '')) return true
        return typeof value === 'string' && isLink(value)
          ? true
          : 'Use a path starting with "/" or a full http(s):// URL'
      },
    },
  ]
}
