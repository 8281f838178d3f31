/** The platform's demo login: the same as the CMS's super-admin, so one password opens both admins. */
export const DEMO_ADMIN = { email: 'admin@bizosaas.dev', password: 'bizosaas-demo', first_name: 'Admin' } as const
