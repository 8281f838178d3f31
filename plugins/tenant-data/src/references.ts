/**
 * Every reference from one document to another, found by walking the collection's fields: relationships
 * and uploads (single, many, polymorphic), inside groups, arrays, blocks and tabs, in every locale, and
 * inside Lexical rich text (upload and relationship nodes, and relationship-shaped values in block nodes).
 * Import rewrites them with new ids; the tests use the same walk to compare documents across databases.
 */
import { randomBytes } from 'node:crypto'
import type { FlattenedField } from 'payload'

type Id = number | string
/** Returns the reference's new value, or `null` when the target cannot be resolved. */
export type Remap = (collection: string, id: Id) => Id | null

type Data = Record<string, unknown>
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v)

export interface WalkOptions {
  remap: Remap
  /** Give array rows and blocks fresh ids (their ids are primary keys in their own tables). */
  freshRowIds?: boolean
  /** Names of top-level fields to drop. */
  omit?: readonly string[]
}

/** A new row id in Payload's format (an ObjectId's 24 hex digits). */
const rowId = () => randomBytes(12).toString('hex')

/** Returns a copy of `doc` with every reference remapped (the input is not changed). */
export function remapDocument(fields: FlattenedField[], doc: Data, options: WalkOptions): Data {
  const copy = structuredClone(doc)
  for (const name of options.omit ?? []) delete copy[name]
  walkFields(fields, copy, options, false)
  return copy
}

function walkFields(fields: FlattenedField[], data: Data, options: WalkOptions, inLocalized: boolean): void {
  for (const field of fields) {
    if (!('name' in field) || !(field.name in data)) continue
    // Joins are computed on read; writing them back is meaningless.
    if (field.type === 'join') {
      delete data[field.name]
      continue
    }
    const value = data[field.name]
    if (field.localized && !inLocalized && isObject(value) && field.type !== 'json' && field.type !== 'richText') {
      for (const locale of Object.keys(value)) value[locale] = walkValue(field, value[locale], options, true)
    } else if (field.localized && !inLocalized && isObject(value) && field.type === 'richText' && !('root' in value)) {
      for (const locale of Object.keys(value)) value[locale] = walkValue(field, value[locale], options, true)
    } else data[field.name] = walkValue(field, value, options, inLocalized)
  }
}

function walkValue(field: FlattenedField, value: unknown, options: WalkOptions, inLocalized: boolean): unknown {
  if (value === null || value === undefined) return value
  switch (field.type) {
    case 'relationship':
    case 'upload': {
      const one = (v: unknown): unknown => {
        if (Array.isArray(field.relationTo)) {
          if (!isObject(v) || typeof v.relationTo !== 'string') return null
          const id = isObject(v.value) ? (v.value.id as Id) : (v.value as Id)
          const mapped = id == null ? null : options.remap(v.relationTo, id)
          return mapped === null ? null : { relationTo: v.relationTo, value: mapped }
        }
        const id = isObject(v) ? (v.id as Id) : (v as Id)
        return options.remap(field.relationTo, id)
      }
      if (Array.isArray(value)) return value.map(one).filter((v) => v !== null)
      return one(value)
    }
    case 'richText':
      return walkLexical(value, options)
    case 'group':
    case 'tab':
      if (isObject(value)) {
        walkFields(field.flattenedFields, value, options, inLocalized)
        remapTarget(value, options)
      }
      return value
    case 'array':
      if (!Array.isArray(value)) return value
      for (const row of value)
        if (isObject(row)) {
          if (options.freshRowIds) row.id = rowId()
          walkFields(field.flattenedFields, row, options, inLocalized)
        }
      return value
    case 'blocks':
      if (!Array.isArray(value)) return value
      for (const row of value) {
        if (!isObject(row)) continue
        const block = (field.blocks ?? []).find((b) => typeof b === 'object' && b.slug === row.blockType)
        if (options.freshRowIds) row.id = rowId()
        if (block && typeof block === 'object') walkFields(block.flattenedFields, row, options, inLocalized)
      }
      return value
    default:
      return value
  }
}

/**
 * The agents' `target: { collection, docId }` groups name a document by collection and id as text;
 * they are remapped like a relationship when the collection is one the walk knows.
 */
function remapTarget(group: Data, options: WalkOptions): void {
  if (typeof group.collection !== 'string' || (typeof group.docId !== 'string' && typeof group.docId !== 'number'))
    return
  const mapped = options.remap(group.collection, group.docId)
  if (mapped !== null) group.docId = String(mapped)
}

/** Lexical JSON: upload / relationship nodes carry `{ relationTo, value }`; block nodes keep fields of that shape too. */
function walkLexical(value: unknown, options: WalkOptions): unknown {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child)
      return
    }
    if (!isObject(node)) return
    if (typeof node.relationTo === 'string' && 'value' in node && node.value != null) {
      const id = isObject(node.value) ? (node.value.id as Id) : (node.value as Id)
      node.value = options.remap(node.relationTo, id)
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'value' || isObject(child)) visit(child)
  }
  visit(value)
  return value
}
