/**
 * Publish inputs for platform tests: a real 1×1 PNG as an attachment and a `PublishInput` with a fresh
 * idempotency key and the claim time set to now.
 */
import { randomBytes } from 'node:crypto'
import { PublishError, type PublishInput, type PublishMedia, type SocialTarget } from '../platforms/define.ts'

/** A 1×1 PNG (70 bytes). */
export const TEST_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

/** An image attachment with `alt`. */
export function testImage(alt?: string, filename = 'pixel.png'): PublishMedia {
  return {
    url: `https://cdn.bizosaas.test/media/${filename}`,
    bytes: async () => new Uint8Array(TEST_PNG),
    mimeType: 'image/png',
    filename,
    filesize: TEST_PNG.length,
    alt,
  }
}

/** A publish of `text` as `target` (a new variant each call unless `variantId`/`idempotencyKey` are given). */
export function testPublishInput(target: SocialTarget, text: string, over: Partial<PublishInput> = {}): PublishInput {
  const variantId = over.variantId ?? `variant-${randomBytes(4).toString('hex')}`
  return {
    variantId,
    idempotencyKey: `social-variant:${variantId}`,
    target,
    text,
    thread: [],
    media: [],
    claimedAt: new Date(),
    ...over,
  }
}

/** The `PublishError` `promise` rejects with; throws when it resolves or rejects with anything else. */
export async function publishFailure(promise: Promise<unknown>): Promise<PublishError> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  )
  if (outcome.resolved) throw new Error('expected a PublishError, but the call succeeded')
  if (!(outcome.error instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(outcome.error)}`)
  return outcome.error
}
