import { getCatalogue, getModelKeyPolicy, listOwnApps } from '@lib/data/connectors'
import { portalEnv } from '@lib/env'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { FlashMessage } from '@modules/integrations/components/flash-message'
import { ModelKeyPolicyForm } from '@modules/integrations/components/model-key-policy-form'
import { decodeFlash, FLASH_COOKIE } from '@modules/integrations/flash'
import { ConnectorsTemplate } from '@modules/integrations/templates/connectors-template'
import { cookies } from 'next/headers'

/** Members read statuses; tenant-admins connect, reconnect, test and disconnect. */
export default async function IntegrationsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant, data } = await requireTenantAndLoad((await params).tenant, (token, id) =>
    Promise.all([getCatalogue(token, id), listOwnApps(token, id), getModelKeyPolicy(token, id)]),
  )
  const [catalogue, ownApps, policy] = await data
  const admin = can(tenant.role, 'configure')
  const flash = decodeFlash((await cookies()).get(FLASH_COOKIE)?.value)
  return (
    <>
      <h1>Integrations</h1>
      <p>
        Accounts at outside services that agents and jobs use. Secrets are stored encrypted and never shown again.
        {!admin && ' Only a tenant admin can change them.'}
      </p>
      {flash && <FlashMessage flash={flash} />}
      {'error' in catalogue ? (
        <p className="error" role="alert">
          {catalogue.error}
        </p>
      ) : (
        <ConnectorsTemplate
          tenant={tenant.id}
          catalogue={catalogue}
          ownApps={ownApps}
          redirectUri={`${portalEnv().PORTAL_URL.replace(/\/+$/, '')}/oauth/callback`}
        />
      )}
      {admin && policy && <ModelKeyPolicyForm tenant={tenant.id} policy={policy} />}
    </>
  )
}
