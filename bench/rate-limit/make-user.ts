/** Makes the rate-limit bench's user (run by ./run.ts with `payload run`): a super-admin with a known password. */
import { getPayload } from 'payload'
import config from '../../cms/src/payload.config.ts'

const payload = await getPayload({ config })
await payload.create({
  collection: 'users',
  data: { email: process.env.BENCH_EMAIL!, password: process.env.BENCH_PASSWORD!, roles: ['super-admin'] },
  overrideAccess: true,
})
await payload.destroy()
process.exit(0)
