import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { multiTenantPlugin } from '@payloadcms/plugin-multi-tenant'
import { lexicalEditor } from '@payloadcms/richtext-lexical'
import { buildConfig } from 'payload'
import sharp from 'sharp'
import { type AccessUser, isSuperAdmin, TENANT_ROLES, userOf } from './access/roles.ts'
import { categories } from './collections/categories.ts'
import { media } from './collections/media.ts'
import { pages } from './collections/pages.ts'
import { posts } from './collections/posts.ts'
import { tenants } from './collections/tenants.ts'
import { users } from './collections/users/index.ts'
import { healthEndpoint } from './endpoints/health.ts'
import { readCmsEnv } from './env.ts'
import { migrations } from './migrations/index.ts'

const dirname = path.dirname(fileURLToPath(import.meta.url))
const env = readCmsEnv()

export default buildConfig({
  secret: env.PAYLOAD_SECRET,
  serverURL: env.CMS_URL,
  telemetry: false,
  admin: {
    user: users.slug,
    importMap: { baseDir: dirname },
    meta: { titleSuffix: ' — BizOSaaS' },
  },
  collections: [tenants, users, pages, posts, categories, media(env.MEDIA_DIR)],
  editor: lexicalEditor(),
  db: postgresAdapter({
    pool: { connectionString: env.DATABASE_URL },
    // Schema changes ship as committed migrations; push mode prompts and blocks non-interactive runs.
    push: false,
    migrationDir: path.resolve(dirname, 'migrations'),
    prodMigrations: migrations,
  }),
  sharp,
  endpoints: [healthEndpoint],
  typescript: { outputFile: path.resolve(dirname, 'payload-types.ts') },
  graphQL: { disablePlaygroundInProduction: true },
  plugins: [
    multiTenantPlugin({
      collections: { pages: {}, posts: {}, categories: {}, media: {} },
      userHasAccessToAllTenants: (user) => isSuperAdmin(user as AccessUser),
      tenantsArrayField: {
        includeDefaultField: true,
        // Only super-admins and tenant-admins edit memberships (the users hook checks which tenants).
        arrayFieldAccess: {
          update: ({ req }) => isSuperAdmin(userOf(req)) || hasAnyAdminRole(req.user as AccessUser),
          create: ({ req }) => isSuperAdmin(userOf(req)) || hasAnyAdminRole(req.user as AccessUser),
        },
        rowFields: [
          {
            name: 'roles',
            type: 'select',
            hasMany: true,
            required: true,
            options: [...TENANT_ROLES],
            defaultValue: ['client'],
            saveToJWT: true,
          },
        ],
      },
    }),
  ],
})

function hasAnyAdminRole(user: AccessUser): boolean {
  return Boolean(user?.tenants?.some((row) => row.roles?.includes('tenant-admin')))
}
