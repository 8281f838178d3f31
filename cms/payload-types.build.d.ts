// For `tsc -b` only (tsconfig.build.json files): brings the CMS's generated Payload types into a project
// through cms/tsconfig.build.types.json instead of listing cms/src/payload-types.ts in several projects.
// The augmented module is imported too: an augmentation needs its module in the program.
import type {} from 'payload'
import type {} from './src/payload-types.ts'
