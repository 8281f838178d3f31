import type { Field } from 'payload'

export const META_TITLE_MAX = 60
export const META_DESCRIPTION_MAX = 155

const maxLength = (max: number) => (value: unknown) =>
  value == null || (typeof value === 'string' && value.length <= max) ? true : `Keep it to ${max} characters or fewer`

/** Search and sharing metadata; the SEO agent writes these fields. */
export const seoField: Field = {
  name: 'seo',
  type: 'group',
  label: 'SEO',
  fields: [
    {
      name: 'metaTitle',
      type: 'text',
      localized: true,
      admin: { description: `Shown in search results; ${META_TITLE_MAX} characters at most.` },
      validate: maxLength(META_TITLE_MAX),
    },
    {
      name: 'metaDescription',
      type: 'textarea',
      localized: true,
      admin: { description: `Shown under the title in search results; ${META_DESCRIPTION_MAX} characters at most.` },
      validate: maxLength(META_DESCRIPTION_MAX),
    },
    { name: 'keywords', type: 'text', hasMany: true, localized: true },
    { name: 'ogImage', type: 'upload', relationTo: 'media', label: 'Social image' },
    { name: 'noIndex', type: 'checkbox', defaultValue: false, label: 'Hide from search engines' },
  ],
}
