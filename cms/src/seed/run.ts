/** `pnpm seed` (via `payload run`): seeds the demo tenants, content and users into the configured database. */
import { getPayload } from 'payload'
import config from '../payload.config.ts'
import { DEMO_PASSWORD, superAdmin, tenants } from './data.ts'
import { seed } from './index.ts'

if (process.env.NODE_ENV === 'production' && !process.argv.includes('--force')) {
  console.error('Refusing to seed demo users with a known password in production. Pass --force if you mean it.')
  process.exit(1)
}

const payload = await getPayload({ config })
try {
  const report = await seed(payload, (msg) => payload.logger.info(msg))
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0)
  payload.logger.info(`seed done: ${sum(report.created)} created, ${sum(report.existing)} already there`)
  payload.logger.info(
    `demo logins (password "${DEMO_PASSWORD}"): ${[superAdmin.email, ...tenants.flatMap((t) => t.users.map((u) => u.email))].join(', ')}`,
  )
} finally {
  await payload.destroy()
}
process.exit(0)
