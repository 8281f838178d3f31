/**
 * `pnpm vault:rotate` (via `payload run`): re-seals every secret of every sealed collection (connections,
 * and whatever other plugins register) with the current vault key (the first of VAULT_KEYS). Put the new
 * key first, run this, then drop the old key.
 */
import { rotateVaultKeys } from '@bizosaas/plugin-vault'
import { getPayload } from 'payload'
import config from './payload.config.ts'

const payload = await getPayload({ config })
try {
  const report = await rotateVaultKeys(payload)
  console.log(
    `vault: ${report.rotated} secret(s) re-sealed with key "${report.keyId}", ${report.current} already on it`,
  )
  for (const f of report.failed) console.error(`  ${f.collection} ${f.id}: ${f.error}`)
  process.exitCode = report.failed.length ? 1 : 0
} catch (error) {
  console.error(`vault rotation failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await payload.destroy()
}
process.exit()
