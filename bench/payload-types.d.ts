// The CMS's generated Payload types (collection slugs and documents) for `payload` in the benches.
import type {} from '@bizosaas/cms/payload-types'
