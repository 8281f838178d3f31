/**
 * `pnpm tenant:export <slug> [file]` (via `payload run`): writes the tenant's archive (tar.gz: documents,
 * media files, members, runs, approvals, settings; no secrets) to `file` (default
 * `tenant-<slug>-<date>.tar.gz` in the current folder), printing progress lines as it goes.
 */
import { createWriteStream } from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { exportTenant } from '@bizosaas/plugin-tenant-data'
import { getPayload } from 'payload'
import config from './payload.config.ts'

const [slug, fileArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const payload = await getPayload({ config })
try {
  if (!slug) throw new Error('Usage: pnpm tenant:export <tenant-slug> [file.tar.gz]')
  const { docs } = await payload.find({ collection: 'tenants', where: { slug: { equals: slug } }, limit: 1, depth: 0 })
  const tenant = docs[0]
  if (!tenant) throw new Error(`No tenant with the slug "${slug}"`)
  const file = path.resolve(
    process.env.INIT_CWD ?? process.cwd(),
    fileArg ?? `tenant-${slug}-${new Date().toISOString().slice(0, 10)}.tar.gz`,
  )
  let last = ''
  const archive = await exportTenant(payload, tenant.id, {
    onProgress: ({ done, total, current }) => {
      const line = `${current}: ${done}/${total} documents`
      if (line === last) return
      last = line
      console.error(line)
    },
  })
  await Promise.all([pipeline(archive.stream, createWriteStream(file)), archive.done])
  const { manifest } = await archive.done
  for (const c of manifest.collections) console.log(`${c.slug}: ${c.documents} documents, ${c.files} files`)
  console.log(`members: ${manifest.memberships}`)
  if (manifest.missingFiles.length) console.error(`files missing on disk: ${manifest.missingFiles.join(', ')}`)
  console.log(`wrote ${file}`)
  process.exitCode = 0
} catch (error) {
  console.error(`tenant export failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await payload.destroy()
}
process.exit()
