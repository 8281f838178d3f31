/**
 * `pnpm tenant:import <file>` (via `payload run`): imports a tenant archive made by `pnpm tenant:export`
 * (or the export endpoint) with new ids. Refused when the tenant's slug or a domain exists here; a
 * failure leaves nothing behind. Members are matched by email or created without a usable password.
 */
import path from 'node:path'
import {
  ImportError,
  importTenantFile,
  JOB_KIND,
  JOB_STATUS,
  JOBS_SLUG,
  reportEvent,
} from '@bizosaas/plugin-tenant-data'
import { getPayload } from 'payload'
import config from './payload.config.ts'

const [fileArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const payload = await getPayload({ config })
try {
  if (!fileArg) throw new ImportError('Usage: pnpm tenant:import <file.tar.gz>')
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), fileArg)
  const summary = await importTenantFile(payload, file)
  const row = await payload.create({
    collection: JOBS_SLUG as never,
    data: {
      kind: JOB_KIND.import,
      status: JOB_STATUS.succeeded,
      tenantKey: String(summary.tenant.id),
      tenantSlug: summary.tenant.slug,
      requestedBy: 'cli',
      result: summary,
      finishedAt: new Date().toISOString(),
    } as never,
  })
  const documents = Object.values(summary.documents).reduce((a, b) => a + b, 0)
  await reportEvent(payload, { type: 'import', tenant: summary.tenant, jobId: (row as { id: number }).id, documents })
  console.log(`imported tenant "${summary.tenant.slug}" as id ${summary.tenant.id}`)
  for (const [slug, n] of Object.entries(summary.documents)) console.log(`${slug}: ${n}`)
  console.log(`files: ${summary.files}; users matched ${summary.users.matched}, created ${summary.users.created}`)
  if (summary.unresolved) console.log(`references left empty (pointing outside the archive): ${summary.unresolved}`)
  process.exitCode = 0
} catch (error) {
  console.error(`tenant import failed: ${(error as Error).message}`)
  process.exitCode = error instanceof ImportError ? 2 : 1
} finally {
  await payload.destroy()
}
process.exit()
