import type { Field, FieldHook } from 'payload'

/** Lower-case, hyphenated, ASCII: "Hello, World!" → "hello-world". */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 96)
}

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Fills an empty slug from `sourceField` and normalises whatever the editor typed. */
const formatSlug =
  (sourceField: string): FieldHook =>
  ({ value, data, originalDoc }) => {
    if (typeof value === 'string' && value.trim()) return slugify(value)
    const source = data?.[sourceField] ?? originalDoc?.[sourceField]
    return typeof source === 'string' ? slugify(source) : value
  }

/**
 * A URL slug derived from `sourceField`. Uniqueness is per tenant, declared by the collection as a
 * compound index on (tenant, slug).
 */
export function slugField(sourceField = 'title', { unique = false }: { unique?: boolean } = {}): Field {
  return {
    name: 'slug',
    type: 'text',
    required: true,
    index: true,
    unique,
    admin: { position: 'sidebar', description: `Used in URLs. Left empty, it is made from the ${sourceField}.` },
    hooks: { beforeValidate: [formatSlug(sourceField)] },
    validate: (value: unknown) =>
      typeof value === 'string' && SLUG_PATTERN.test(value)
        ? true
        : 'Use lower-case letters, digits and single hyphens, e.g. "spring-sale"',
  }
}
