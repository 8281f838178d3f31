// The demo logins of `pnpm dev` and the seeds: the CMS seed's super-admin and the Medusa seed's admin
// are the same person, so one password opens both admins. Types: demo.d.ts.
/** Password of every demo user (CMS and Medusa). */
export const DEMO_PASSWORD = 'bizosaas-demo'

/** The platform's super-admin in the CMS, and the admin user of the Medusa seed. */
export const DEMO_SUPER_ADMIN = Object.freeze({ email: 'admin@bizosaas.dev', name: 'Platform Admin' })
