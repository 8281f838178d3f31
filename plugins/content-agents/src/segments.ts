/**
 * The translatable text of a document as numbered segments, found through the collection's field
 * config: every localized text, textarea and rich-text field (and everything inside localized groups,
 * arrays and blocks), with rich text split into its Lexical text nodes.
 *
 * A segment id is the path of its text in the document, e.g. `title`, `seo.keywords.1`,
 * `layout.0.cta.label` or `content.2.0` (the first text node of the third top-level Lexical node of
 * `content`). Ids are stable for a given structure, so `apply` finds every text again in a fresh copy
 * of the source and writes the translation there: the structure is copied, only texts change.
 */
import type { Block, Field, Payload } from 'payload'
import { EXCERPT_MAX, META_DESCRIPTION_MAX, META_TITLE_MAX } from './constants.ts'
import { isLexicalState, lexicalNodeAt, lexicalTextNodes } from './lexical.ts'

export interface TextSegment {
  id: string
  text: string
  /** What the text is, e.g. `title`, `seo.metaTitle`, `layout[hero].heading`, `content > heading`. */
  field: string
  /** Segments of one paragraph, heading or list item share a group (formatting splits sentences). */
  group?: string
  /** The field's length limit, when it has one. */
  maxLength?: number
}

/** A segment plus where it lives in the document it was found in. */
export interface LocatedSegment extends TextSegment {
  /** Replaces the text in that document (mutates it). */
  write: (text: string) => void
}

/** Texts that are identifiers, not prose. */
const NOT_PROSE = new Set(['slug', 'url', 'href', 'path', 'email', 'anchor', 'code'])

/** Limits of the CMS fields the pack knows (some are validators, not `maxLength`), by segment id. */
export const KNOWN_LIMITS: Readonly<Record<string, number>> = {
  excerpt: EXCERPT_MAX,
  'seo.metaTitle': META_TITLE_MAX,
  'seo.metaDescription': META_DESCRIPTION_MAX,
}

export type BlockLookup = (slug: string) => Block | undefined

type Data = Record<string, unknown>
const isData = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value)
const hasName = (field: object): field is { name: string } =>
  typeof (field as { name?: unknown }).name === 'string' && (field as { name: string }).name !== ''

function blocksOf(field: Field & { type: 'blocks' }, lookup: BlockLookup): Block[] {
  return [...(field.blocks ?? []), ...(field.blockReferences ?? [])].flatMap((block) =>
    typeof block === 'string' ? (lookup(block) ?? []) : [block],
  )
}

/** Finds the segments of `doc` (depth 0, one locale). `write` of each changes `doc` itself. */
export function locateSegments(fields: readonly Field[], doc: Data, lookup: BlockLookup = () => undefined) {
  const found: LocatedSegment[] = []

  const walk = (fields: readonly Field[], data: Data, path: string[], label: string[], localized: boolean) => {
    for (const field of fields) {
      const named = hasName(field) ? field.name : undefined
      const inLocalized = localized || Boolean((field as { localized?: boolean }).localized)
      switch (field.type) {
        case 'row':
        case 'collapsible':
          walk(field.fields, data, path, label, localized)
          break
        case 'tabs':
          for (const tab of field.tabs) {
            const tabName = 'name' in tab && tab.name ? tab.name : undefined
            if (!tabName) walk(tab.fields, data, path, label, localized)
            else if (isData(data[tabName]))
              walk(
                tab.fields,
                data[tabName] as Data,
                [...path, tabName],
                [...label, tabName],
                localized || Boolean(tab.localized),
              )
          }
          break
        case 'group':
          if (!named) walk(field.fields, data, path, label, localized)
          else if (isData(data[named]))
            walk(field.fields, data[named] as Data, [...path, named], [...label, named], inLocalized)
          break
        case 'array': {
          // Rows of a non-localized array are shared by all locales: not written per locale, not translated.
          const rows = named && inLocalized ? data[named] : undefined
          if (!Array.isArray(rows)) break
          rows.forEach((row, index) => {
            if (isData(row)) walk(field.fields, row, [...path, named!, String(index)], [...label, named!], inLocalized)
          })
          break
        }
        case 'blocks': {
          const rows = inLocalized ? data[field.name] : undefined
          if (!Array.isArray(rows)) break
          const blocks = blocksOf(field, lookup)
          rows.forEach((row, index) => {
            if (!isData(row)) return
            const block = blocks.find((b) => b.slug === row.blockType)
            if (block)
              walk(
                block.fields,
                row,
                [...path, field.name, String(index)],
                [...label, `${field.name}[${block.slug}]`],
                inLocalized,
              )
          })
          break
        }
        case 'text':
        case 'textarea': {
          if (!inLocalized || NOT_PROSE.has(field.name)) break
          const id = [...path, field.name].join('.')
          const fieldLabel = [...label, field.name].join('.')
          const maxLength = ('maxLength' in field ? field.maxLength : undefined) ?? KNOWN_LIMITS[id]
          const value = data[field.name]
          if (Array.isArray(value)) {
            value.forEach((text, index) => {
              if (typeof text === 'string' && text.trim())
                found.push({
                  id: `${id}.${index}`,
                  text,
                  field: fieldLabel,
                  maxLength,
                  write: (t) => (value[index] = t),
                })
            })
          } else if (typeof value === 'string' && value.trim()) {
            found.push({ id, text: value, field: fieldLabel, maxLength, write: (t) => (data[field.name] = t) })
          }
          break
        }
        case 'richText': {
          const state = data[field.name]
          if (!inLocalized || !isLexicalState(state)) break
          const id = [...path, field.name].join('.')
          for (const node of lexicalTextNodes(state)) {
            const block = lexicalNodeAt(state, node.block)
            found.push({
              id: `${id}.${node.path.join('.')}`,
              text: node.text,
              field: `${[...label, field.name].join('.')} > ${block?.type ?? 'text'}`,
              group: `${id}.${node.block.join('.')}`,
              write: (t) => {
                const target = lexicalNodeAt(state, node.path)
                if (target) target.text = t
              },
            })
          }
          break
        }
        default:
          break
      }
    }
  }

  walk(fields, doc, [], [], false)
  return found
}

/** The segments as the model reads them (no write functions, no empty keys). */
export function segmentsForModel(located: readonly LocatedSegment[]): TextSegment[] {
  return located.map(({ write: _write, ...segment }) => segment)
}

/** Plain text of a document's body (everything but title, excerpt and SEO texts), one line per paragraph. */
export function bodyText(located: readonly LocatedSegment[]): string {
  const lines: string[] = []
  let group: string | undefined
  for (const segment of located) {
    if (segment.id === 'title' || segment.id === 'excerpt' || segment.id.startsWith('seo.')) continue
    if (segment.group !== undefined && segment.group === group) lines[lines.length - 1] += segment.text
    else lines.push(segment.text)
    group = segment.group
  }
  return lines.map((line) => line.trim()).join('\n')
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)

/** A copy of a value without Payload's row ids (rows are new in another locale); rich text is left alone. */
function withoutRowIds(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((row) => {
      if (!isData(row) || isLexicalState(row)) return withoutRowIds(row)
      const { id: _id, ...rest } = row
      return withoutRowIds(rest)
    })
  if (isData(value)) {
    if (isLexicalState(value)) return structuredClone(value)
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, withoutRowIds(child)]))
  }
  return value
}

/**
 * The localized part of a document: what one locale owns and an update in that locale may write.
 * Non-localized fields (slug, images, status …) are left out, so writing a locale never changes the others.
 */
export function localizedData(fields: readonly Field[], doc: Data): Data {
  const out: Data = {}
  for (const field of fields) {
    const named = hasName(field) ? field.name : undefined
    if (field.type === 'row' || field.type === 'collapsible' || (field.type === 'group' && !named)) {
      Object.assign(out, localizedData(field.fields, doc))
      continue
    }
    if (field.type === 'tabs') {
      for (const tab of field.tabs) {
        const tabName = 'name' in tab && tab.name ? tab.name : undefined
        if (!tabName) Object.assign(out, localizedData(tab.fields, doc))
        else if (tab.localized) {
          if (!isEmpty(doc[tabName])) out[tabName] = withoutRowIds(doc[tabName])
        } else if (isData(doc[tabName])) {
          const inner = localizedData(tab.fields, doc[tabName] as Data)
          if (Object.keys(inner).length) out[tabName] = inner
        }
      }
      continue
    }
    if (!named) continue
    const value = doc[named]
    if ((field as { localized?: boolean }).localized) {
      if (!isEmpty(value)) out[named] = withoutRowIds(value)
    } else if (field.type === 'group' && isData(value)) {
      const inner = localizedData(field.fields, value)
      if (Object.keys(inner).length) out[named] = inner
    }
  }
  return out
}

/** The sanitized fields of a collection. */
export function fieldsOf(payload: Payload, collection: string): Field[] {
  const config = (payload.collections as Record<string, { config: { fields: Field[] } } | undefined>)[collection]
    ?.config
  if (!config) throw new Error(`Collection "${collection}" does not exist in this CMS`)
  return config.fields
}

/** Blocks referenced by slug (`blockReferences`) live in the config's `blocks`. */
export function blockLookup(payload: Payload): (slug: string) => Block | undefined {
  return (slug) => payload.config.blocks?.find((block) => block.slug === slug) as Block | undefined
}
