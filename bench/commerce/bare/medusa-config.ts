/**
 * Bare Medusa for bench/commerce (the baseline of the store API figures): the database, HTTP secrets and
 * CORS, the admin off — nothing else (Medusa's default modules; no src/, so no subscribers, routes or
 * middlewares). The bench passes every value in the environment.
 */
import { defineConfig } from '@medusajs/framework/utils'

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS ?? 'http://localhost:3000',
      adminCors: process.env.ADMIN_CORS ?? 'http://localhost:9000',
      authCors: process.env.AUTH_CORS ?? 'http://localhost:3000,http://localhost:9000',
      jwtSecret: process.env.JWT_SECRET,
      cookieSecret: process.env.COOKIE_SECRET,
    },
  },
  admin: { disable: true },
})
