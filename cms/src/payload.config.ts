/** The Payload config Next.js, the CLI and `pnpm worker` load. See ./config.ts. */
import { buildConfig } from 'payload'
import { cmsConfig } from './config.ts'

export default buildConfig(cmsConfig())
