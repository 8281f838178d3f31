import type { TenantContext } from '@lib/session'
import { signOut } from '@modules/auth/actions'
import { Nav } from '@modules/layout/components/nav'
import type { ReactNode } from 'react'

export function TenantShell({ ctx, children }: { ctx: TenantContext; children: ReactNode }) {
  return (
    <>
      <header className="top">
        <Nav
          tenant={{ id: ctx.tenant.id, name: ctx.tenant.name }}
          tenants={ctx.session.tenants.map(({ id, name }) => ({ id, name }))}
          role={ctx.role}
        />
        <span className="spacer" />
        <span data-user>
          {ctx.session.user.email} · <span data-role>{ctx.role}</span>
        </span>
        <form action={signOut}>
          <button type="submit" className="secondary">
            Sign out
          </button>
        </form>
      </header>
      <main className="page">{children}</main>
    </>
  )
}
