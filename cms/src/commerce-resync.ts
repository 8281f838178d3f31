/**
 * `pnpm commerce:resync [tenant-slug …]` (via `payload run`): links every commerce-enabled tenant to
 * Medusa and re-syncs their products into `product-content`, repairing any drift. Prints a report.
 */
import { repairCommerce } from '@bizosaas/plugin-medusa'
import { getPayload } from 'payload'
import config from './payload.config.ts'

const tenants = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const payload = await getPayload({ config })
try {
  const report = await repairCommerce(payload, tenants.length ? { tenants } : {})
  for (const link of report.links)
    console.log(
      `tenant ${link.tenant}: sales channel ${link.salesChannelId}${link.createdInMedusa ? ' (made in Medusa)' : ''}${link.recorded ? ', recorded on the tenant' : ''}`,
    )
  for (const failure of report.linkFailures) console.error(`tenant ${failure.tenant}: link failed: ${failure.error}`)
  for (const r of report.products) {
    console.log(
      `tenant ${r.tenant}: ${r.products} products — created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, deleted ${r.deleted}, failed ${r.failed.length}`,
    )
    for (const f of r.failed) console.error(`  ${f.productId}: ${f.error}`)
  }
  if (!report.links.length && !report.linkFailures.length)
    console.log('No tenant sells through Medusa (commerce.enabled).')
  process.exitCode = report.linkFailures.length || report.products.some((r) => r.failed.length) ? 1 : 0
} catch (error) {
  console.error(`commerce re-sync failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await payload.destroy()
}
process.exit()
