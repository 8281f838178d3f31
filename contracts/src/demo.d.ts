/** Password of every demo user (CMS and Medusa). */
export declare const DEMO_PASSWORD: 'bizosaas-demo'

/** The platform's super-admin in the CMS, and the admin user of the Medusa seed. */
export declare const DEMO_SUPER_ADMIN: Readonly<{ email: 'admin@bizosaas.dev'; name: 'Platform Admin' }>
