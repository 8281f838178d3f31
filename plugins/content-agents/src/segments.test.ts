import type { Field } from 'payload'
import { describe, expect, it } from 'vitest'
import { lexicalFromSections } from './lexical.ts'
import { localizedData, locateSegments } from './segments.ts'

const fields = [
  { name: 'title', type: 'text', localized: true },
  { name: 'slug', type: 'text' },
  { name: 'body', type: 'richText', localized: true },
  {
    type: 'tabs',
    tabs: [
      { label: 'Meta', fields: [{ name: 'subtitle', type: 'text', localized: true }] },
      { name: 'extra', fields: [{ name: 'tags', type: 'text', hasMany: true, localized: true }] },
    ],
  },
  // rows shared by all locales: not translated per locale
  { name: 'shared', type: 'array', fields: [{ name: 'label', type: 'text', localized: true }] },
  {
    name: 'links',
    type: 'array',
    localized: true,
    fields: [
      { name: 'label', type: 'text' },
      { name: 'url', type: 'text' },
    ],
  },
] as unknown as Field[]

const doc = () => ({
  id: 1,
  title: 'Hello',
  slug: 'hello',
  body: lexicalFromSections([{ heading: 'Intro', paragraphs: ['First.', '  '] }]),
  subtitle: 'Sub',
  extra: { tags: ['a tag', ''] },
  shared: [{ id: 'r1', label: 'Shared' }],
  links: [{ id: 'r2', label: 'Home', url: '/' }],
})

describe('text segments', () => {
  it('lists localized prose by path, skipping identifiers, blanks and shared rows', () => {
    const found = locateSegments(fields, doc())
    expect(found.map((s) => [s.id, s.text])).toEqual([
      ['title', 'Hello'],
      ['body.0.0', 'Intro'],
      ['body.1.0', 'First.'],
      ['subtitle', 'Sub'],
      ['extra.tags.0', 'a tag'],
      ['links.0.label', 'Home'],
    ])
    expect(found[1]).toMatchObject({ field: 'body > heading', group: 'body.0' })
  })

  it('writes translations into a copy whose localized part keeps the structure, without row ids', () => {
    const copy = doc()
    for (const segment of locateSegments(fields, copy)) segment.write(segment.text.toUpperCase())
    const data = localizedData(fields, copy)
    expect(Object.keys(data)).toEqual(['title', 'body', 'subtitle', 'extra', 'links'])
    expect(data.links).toEqual([{ label: 'HOME', url: '/' }])
    expect(data.extra).toEqual({ tags: ['A TAG', ''] })
    expect(JSON.stringify(data.body)).toBe(
      JSON.stringify(lexicalFromSections([{ heading: 'INTRO', paragraphs: ['FIRST.', '  '] }])),
    )
  })
})
