// Social publishing rules shared by the social plugin and the portal (types and docs in social.d.ts).

export const SOCIAL_PLATFORMS = Object.freeze(['x', 'linkedin', 'facebook', 'instagram', 'bluesky', 'mastodon'])

const MB = 1024 * 1024
const IMAGES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif']

export const PLATFORM_RULES = Object.freeze({
  x: Object.freeze({
    platform: 'x',
    name: 'X',
    maxChars: 280,
    counting: 'weighted',
    linkLength: 23,
    clickableLinks: true,
    media: Object.freeze({
      maxCount: 4,
      required: false,
      types: Object.freeze([...IMAGES, 'video/mp4']),
      maxImageBytes: 5 * MB,
      maxVideoBytes: 512 * MB,
      altTextMax: 1000,
    }),
    maxThreadParts: 25,
  }),
  linkedin: Object.freeze({
    platform: 'linkedin',
    name: 'LinkedIn',
    maxChars: 3000,
    counting: 'code-points',
    clickableLinks: true,
    media: Object.freeze({
      maxCount: 20,
      required: false,
      types: Object.freeze(['image/jpeg', 'image/png', 'image/gif', 'video/mp4']),
      maxImageBytes: 10 * MB,
      maxVideoBytes: 200 * MB,
      altTextMax: 4086,
    }),
    maxThreadParts: 1,
  }),
  facebook: Object.freeze({
    platform: 'facebook',
    name: 'Facebook',
    maxChars: 63206,
    counting: 'code-points',
    clickableLinks: true,
    media: Object.freeze({
      maxCount: 10,
      required: false,
      types: Object.freeze(['image/jpeg', 'image/png', 'image/gif', 'video/mp4']),
      maxImageBytes: 10 * MB,
      maxVideoBytes: 1024 * MB,
      altTextMax: 1000,
    }),
    maxThreadParts: 1,
  }),
  instagram: Object.freeze({
    platform: 'instagram',
    name: 'Instagram',
    maxChars: 2200,
    counting: 'code-points',
    clickableLinks: false,
    media: Object.freeze({
      maxCount: 10,
      required: true,
      types: Object.freeze(['image/jpeg', 'video/mp4']),
      maxImageBytes: 8 * MB,
      maxVideoBytes: 100 * MB,
      altTextMax: 1000,
    }),
    maxThreadParts: 1,
    maxHashtags: 30,
  }),
  bluesky: Object.freeze({
    platform: 'bluesky',
    name: 'Bluesky',
    maxChars: 300,
    counting: 'graphemes',
    clickableLinks: true,
    media: Object.freeze({
      maxCount: 4,
      required: false,
      types: Object.freeze([...IMAGES, 'video/mp4']),
      maxImageBytes: 1_000_000,
      maxVideoBytes: 100 * MB,
      altTextMax: 2000,
    }),
    maxThreadParts: 25,
  }),
  mastodon: Object.freeze({
    platform: 'mastodon',
    name: 'Mastodon',
    maxChars: 500,
    counting: 'code-points',
    linkLength: 23,
    clickableLinks: true,
    media: Object.freeze({
      maxCount: 4,
      required: false,
      types: Object.freeze([...IMAGES, 'video/mp4']),
      maxImageBytes: 16 * MB,
      maxVideoBytes: 99 * MB,
      altTextMax: 1500,
    }),
    maxThreadParts: 25,
  }),
})

const LINK = /https?:\/\/[^\s<>"]+/gi
const HASHTAG = /(^|\s)#[\p{L}\p{N}_]+/gu
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u
const segmenter =
  typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null

// X's weighted count (twitter-text v3): these ranges count 1, every other character 2, an emoji 2.
const LIGHT = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
]
const weightOf = (segment) => {
  if (PICTOGRAPHIC.test(segment)) return 2
  let weight = 0
  for (const char of segment) {
    const code = char.codePointAt(0) ?? 0
    weight += LIGHT.some(([from, to]) => code >= from && code <= to) ? 1 : 2
  }
  return weight
}

const graphemes = (text) => (segmenter ? [...segmenter.segment(text)].map((s) => s.segment) : [...text])

function countPlain(text, counting) {
  if (counting === 'code-points') return [...text].length
  if (counting === 'graphemes') return graphemes(text).length
  let total = 0
  for (const segment of graphemes(text)) total += weightOf(segment)
  return total
}

export function countChars(text, platform) {
  const rules = PLATFORM_RULES[platform]
  if (!rules) throw new TypeError(`Unknown social platform "${platform}"`)
  const value = String(text ?? '')
  if (rules.linkLength === undefined) return countPlain(value, rules.counting)
  let total = 0
  let last = 0
  for (const match of value.matchAll(LINK)) {
    total += countPlain(value.slice(last, match.index), rules.counting) + rules.linkLength
    last = match.index + match[0].length
  }
  return total + countPlain(value.slice(last), rules.counting)
}

// "5 MB" for the binary limits, "1 MB" for Bluesky's decimal one, "2.4 MB" / "830 kB" for files.
const sizeText = (bytes) => {
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`
  return `${Math.ceil(bytes / 1000)} kB`
}
const unit = (rules) => (rules.counting === 'graphemes' ? 'characters' : 'characters')

export function validateVariant(draft, platform) {
  const rules = PLATFORM_RULES[platform]
  if (!rules) throw new TypeError(`Unknown social platform "${platform}"`)
  const { name } = rules
  const issues = []
  const add = (issue) => issues.push({ platform, ...issue })
  const text = String(draft?.text ?? '')
  const media = draft?.media ?? []
  const thread = draft?.thread ?? []
  const parts = [text, ...thread]

  if (!text.trim() && media.length === 0)
    add({ rule: 'empty', severity: 'error', part: 0, message: `${name} needs text or media; this post has neither.` })
  if (parts.length > rules.maxThreadParts)
    add({
      rule: 'thread',
      severity: 'error',
      message:
        rules.maxThreadParts === 1
          ? `${name} does not post threads; this variant has ${parts.length} parts. Keep one part or leave ${name} out of the thread.`
          : `${name} threads take at most ${rules.maxThreadParts} parts; this one has ${parts.length}.`,
    })
  parts.forEach((part, index) => {
    if (index > 0 && !part.trim())
      add({
        rule: 'thread',
        severity: 'error',
        part: index,
        message: `Part ${index + 1} of the ${name} thread is empty.`,
      })
    const count = countChars(part, platform)
    if (count > rules.maxChars)
      add({
        rule: 'max-chars',
        severity: 'error',
        part: index,
        message: `${name} allows ${rules.maxChars} ${unit(rules)} per post; ${parts.length > 1 ? `part ${index + 1}` : 'this text'} has ${count}.`,
      })
  })

  if (rules.media.required && media.length === 0)
    add({
      rule: 'media-required',
      severity: 'error',
      message: `${name} posts need at least one image or video; add one.`,
    })
  const videos = media.filter((m) => String(m.mimeType).startsWith('video/') || m.mimeType === 'image/gif').length
  if (media.length > rules.media.maxCount)
    add({
      rule: 'media-count',
      severity: 'error',
      message: `${name} takes at most ${rules.media.maxCount} attachments per post; this one has ${media.length}.`,
    })
  else if (platform === 'x' && videos > 0 && media.length > 1)
    add({
      rule: 'media-count',
      severity: 'error',
      message: `X takes one video or GIF on its own, or up to 4 images; this post mixes ${media.length} attachments.`,
    })
  media.forEach((item, index) => {
    const label = item.filename ? `"${item.filename}"` : `attachment ${index + 1}`
    if (!rules.media.types.includes(item.mimeType)) {
      add({
        rule: 'media-type',
        severity: 'error',
        media: index,
        message: `${name} does not take ${item.mimeType || 'this file type'} (${label}); it takes ${rules.media.types.join(', ')}.`,
      })
      return
    }
    const video = String(item.mimeType).startsWith('video/')
    const max = video ? rules.media.maxVideoBytes : rules.media.maxImageBytes
    if (Number(item.filesize) > max)
      add({
        rule: 'media-size',
        severity: 'error',
        media: index,
        message: `${name} takes ${video ? 'videos' : 'images'} up to ${sizeText(max)}; ${label} is ${sizeText(Number(item.filesize))}.`,
      })
    const alt = String(item.alt ?? '')
    if (!video && alt.length > rules.media.altTextMax)
      add({
        rule: 'alt-text',
        severity: 'error',
        media: index,
        message: `${name} takes alt text up to ${rules.media.altTextMax} characters; ${label} has ${alt.length}.`,
      })
    else if (!video && !alt.trim())
      add({
        rule: 'alt-text',
        severity: 'warning',
        media: index,
        message: `${label} has no alt text on ${name}; people using screen readers will not know what it shows.`,
      })
  })

  if (rules.maxHashtags !== undefined) {
    const tags = parts.join('\n').match(HASHTAG)?.length ?? 0
    if (tags > rules.maxHashtags)
      add({
        rule: 'hashtags',
        severity: 'error',
        message: `${name} allows at most ${rules.maxHashtags} hashtags; this post has ${tags}.`,
      })
  }
  if (!rules.clickableLinks && LINK.test(parts.join('\n')))
    add({
      rule: 'link',
      severity: 'warning',
      message: `${name} does not make links in the text clickable; people will have to copy it.`,
    })
  LINK.lastIndex = 0

  return issues.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
}

export const VARIANT_STATUS = Object.freeze({
  draft: 'draft',
  awaitingApproval: 'awaiting-approval',
  scheduled: 'scheduled',
  publishing: 'publishing',
  published: 'published',
  failed: 'failed',
  unconfirmed: 'unconfirmed',
})
export const VARIANT_STATUSES = Object.freeze(Object.values(VARIANT_STATUS))

export function postStatusOf(variants) {
  if (variants.length === 0) return 'draft'
  const has = (status) => variants.some((v) => v.status === status)
  if (has('unconfirmed')) return 'unconfirmed'
  if (has('publishing')) return 'publishing'
  if (variants.every((v) => v.status === 'published')) return 'published'
  if (has('failed') && variants.every((v) => v.status === 'published' || v.status === 'failed')) return 'failed'
  for (const status of ['scheduled', 'awaiting-approval', 'draft']) if (has(status)) return status
  return 'failed'
}

export function withUtm(url, utm) {
  let parsed
  try {
    parsed = new URL(url)
  } catch {
    throw new TypeError(`"${url}" is not an absolute link (it needs https://…)`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new TypeError(`"${url}" is not an http(s) link`)
  const set = (key, value) => {
    if (value) parsed.searchParams.set(key, value)
    else parsed.searchParams.delete(key)
  }
  set('utm_source', utm.source)
  set('utm_medium', utm.medium)
  set('utm_campaign', utm.campaign)
  set('utm_content', utm.content)
  set('utm_term', utm.term)
  return parsed.toString()
}

export function socialUtm(platform, campaign, content) {
  return { source: platform, medium: 'social', campaign, ...(content ? { content } : {}) }
}
