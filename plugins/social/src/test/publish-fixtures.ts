/** Test fixtures for platform tests: an image attachment and a publish input, as the publisher builds them. */
import type { PublishInput, PublishMedia, SocialTarget } from '../platforms/define.ts'

/** A small JPEG (the SOI/EOI markers around a few bytes) at a public-looking URL. */
export function jpeg(filename: string, alt?: string): PublishMedia {
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9])
  return {
    url: `https://cdn.bizoholic.dev/media/${filename}`,
    bytes: async () => bytes,
    mimeType: 'image/jpeg',
    filename,
    filesize: bytes.length,
    alt,
  }
}

let counter = 0

export function publishInput(target: SocialTarget, overrides: Partial<PublishInput> = {}): PublishInput {
  counter += 1
  return {
    variantId: `variant-${counter}`,
    idempotencyKey: `variant-${counter}-key`,
    target,
    text: `Post ${counter}`,
    thread: [],
    media: [],
    claimedAt: new Date(),
    ...overrides,
  }
}
