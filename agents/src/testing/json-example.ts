import type { JsonSchema } from '../providers/types.ts'

/** The text every offline string value carries, so offline output is recognisable. */
import { OFFLINE_MODEL } from '../providers/types.ts'

/** Marker in offline structured output (the offline model id). */
export const OFFLINE_MARKER = OFFLINE_MODEL

const FORMATS: Record<string, string> = {
  email: 'offline-mock@example.com',
  uri: 'https://example.com/offline-mock',
  url: 'https://example.com/offline-mock',
  'date-time': '2026-01-01T00:00:00.000Z',
  date: '2026-01-01',
  time: '00:00:00',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'offline-mock.example.com',
  ipv4: '127.0.0.1',
}

function fitString(schema: JsonSchema): string {
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined
  let value = format ?? OFFLINE_MARKER
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY
  while (value.length < min) value += ` ${OFFLINE_MARKER}`
  return value.slice(0, Math.max(min, Math.min(max, value.length)))
}

function fitNumber(schema: JsonSchema, integer: boolean): number {
  const min =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : undefined
  const max =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
        : undefined
  // zero when allowed (zod's .int() adds safe-integer bounds), else the nearest bound
  let value = Math.min(Math.max(0, min ?? Number.NEGATIVE_INFINITY), max ?? Number.POSITIVE_INFINITY)
  if (integer) value = Math.ceil(value)
  const step = typeof schema.multipleOf === 'number' ? schema.multipleOf : undefined
  if (step) value = Math.ceil(value / step) * step
  return value
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const path = ref.replace(/^#\/?/, '').split('/').filter(Boolean)
  let node: unknown = root
  for (const part of path)
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  return (node as JsonSchema) ?? {}
}

/**
 * A minimal value that satisfies a JSON Schema (required properties, min items/length, bounds, enums,
 * formats; `pattern` is not honoured). Strings carry `offline-mock`.
 */
export function exampleFromSchema(schema: JsonSchema, root: JsonSchema = schema, depth = 0): unknown {
  if (depth > 32) return null
  if (typeof schema.$ref === 'string') return exampleFromSchema(resolveRef(schema.$ref, root), root, depth + 1)
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0]
  if ('default' in schema) return schema.default
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key]
    if (Array.isArray(options) && options.length) {
      const nonNull = (options as JsonSchema[]).find((option) => option.type !== 'null') ?? options[0]
      return exampleFromSchema(nonNull as JsonSchema, root, depth + 1)
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length) {
    const parts = (schema.allOf as JsonSchema[]).map((part) => exampleFromSchema(part, root, depth + 1))
    if (parts.every((part) => typeof part === 'object' && part !== null && !Array.isArray(part))) {
      return Object.assign({}, ...parts)
    }
    return parts[0]
  }
  let type = schema.type
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0]
  if (type === undefined) type = schema.properties ? 'object' : schema.items ? 'array' : 'string'
  switch (type) {
    case 'string':
      return fitString(schema)
    case 'integer':
      return fitNumber(schema, true)
    case 'number':
      return fitNumber(schema, false)
    case 'boolean':
      return false
    case 'null':
      return null
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0
      if (Array.isArray(schema.prefixItems)) {
        return (schema.prefixItems as JsonSchema[]).map((item) => exampleFromSchema(item, root, depth + 1))
      }
      const items = (schema.items as JsonSchema | undefined) ?? {}
      return Array.from({ length: count }, () => exampleFromSchema(items, root, depth + 1))
    }
    case 'object': {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {}
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : []
      const value: Record<string, unknown> = {}
      for (const key of required) value[key] = exampleFromSchema(properties[key] ?? {}, root, depth + 1)
      return value
    }
    default:
      return null
  }
}
