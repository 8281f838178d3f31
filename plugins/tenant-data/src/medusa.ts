/**
 * The tenant's shop in Medusa, switched off on deletion through plugin-medusa's admin client: the sales
 * channel is disabled (`POST /admin/sales-channels/:id { is_disabled: true }`) and the publishable key
 * revoked (`POST /admin/api-keys/:id/revoke`). Medusa not configured, or not answering, is recorded and
 * reported; it never stops the rest of the deletion.
 */
import {
  MedusaNotConfiguredError,
  medusaClientOf,
  medusaConfigOf,
  medusaStatus,
  withDeadline,
} from '@bizosaas/plugin-medusa'
import type { Payload } from 'payload'

export interface MedusaCleanup {
  /** `done`: both switched off (or already); `skipped`: the tenant had no shop; `not-configured` / `failed`: see message. */
  status: 'done' | 'skipped' | 'not-configured' | 'failed'
  salesChannelId?: string | null
  publishableKeyId?: string | null
  message?: string
}

interface Commerce {
  salesChannelId?: string | null
  publishableKeyId?: string | null
}

export async function disableTenantCommerce(
  payload: Payload,
  commerce: Commerce | null | undefined,
): Promise<MedusaCleanup> {
  const salesChannelId = commerce?.salesChannelId ?? null
  const publishableKeyId = commerce?.publishableKeyId ?? null
  if (!salesChannelId && !publishableKeyId) return { status: 'skipped' }
  let installed = true
  try {
    medusaConfigOf(payload)
  } catch {
    installed = false
  }
  if (!installed)
    return { status: 'not-configured', salesChannelId, publishableKeyId, message: 'plugin-medusa is not installed' }
  try {
    const medusa = medusaClientOf(payload)
    const { timeoutMs } = medusaConfigOf(payload)
    if (salesChannelId)
      await withDeadline(
        medusa.admin.salesChannel.update(salesChannelId, { is_disabled: true }),
        timeoutMs,
        `disable sales channel ${salesChannelId}`,
      ).catch((error) => {
        // Already gone in Medusa: nothing left to disable.
        if (medusaStatus(error) !== 404) throw error
      })
    if (publishableKeyId)
      await withDeadline(
        medusa.admin.apiKey.revoke(publishableKeyId),
        timeoutMs,
        `revoke key ${publishableKeyId}`,
      ).catch((error) => {
        const status = medusaStatus(error)
        // 404: gone; 400: Medusa refuses to revoke a key that is already revoked.
        if (status !== 404 && status !== 400) throw error
      })
    return { status: 'done', salesChannelId, publishableKeyId }
  } catch (error) {
    const message = (error as Error).message
    return {
      status: error instanceof MedusaNotConfiguredError ? 'not-configured' : 'failed',
      salesChannelId,
      publishableKeyId,
      message: `${message}. Disable the sales channel and revoke the key in Medusa's admin by hand.`,
    }
  }
}
