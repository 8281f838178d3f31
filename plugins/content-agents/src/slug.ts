/**
 * URL slugs, made the way the CMS's slug field makes them ("Hello, World!" → "hello-world"), so a
 * post an agent creates has the slug an editor would get.
 */
export const SLUG_MAX = 96

export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '')
}

/** `base` itself or `base-<n>`: the slugs a title may have been given. */
export function slugOfTitle(slug: string, base: string): boolean {
  return slug === base || new RegExp(`^${base}-\\d+$`).test(slug)
}

/** The first of `base`, `base-2`, `base-3` … not in `taken` (kept within the slug length limit). */
export function freeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) {
    const suffix = `-${n}`
    const candidate = `${base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, '')}${suffix}`
    if (!taken.has(candidate)) return candidate
  }
}
