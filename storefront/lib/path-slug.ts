/**
 * Which URL segments can be a slug or handle at all (pages, posts, products): anything else — a NUL
 * byte, another control character, a 3,000-character string — is answered "not found" without asking
 * Payload or Medusa, which refuse such values with an error rather than an empty result.
 */
export function isPathSlug(value: string): boolean {
  return value.length > 0 && value.length <= 200 && !/\p{Cc}/u.test(value)
}
