/**
 * Medusa configuration: our PostgreSQL, CORS for the BizOSaaS front ends, local file storage served
 * by Medusa itself, and Redis-backed infrastructure modules only when REDIS_URL is set (in-memory
 * otherwise, which is right for one process). MEDUSA_WORKER_MODE splits HTTP (`server`) from subscribers
 * and scheduled jobs (`worker`, no admin); both need Redis. Every value comes from ./src/env.ts.
 */
import { defineConfig, Modules } from '@medusajs/framework/utils'
import { readCommerceEnv } from './src/env'

const env = readCommerceEnv()

/** Event bus, workflow engine, cache, caching and locking on Redis: needed as soon as two processes run. */
const redisModules = (redisUrl: string) => [
  { resolve: '@medusajs/medusa/event-bus-redis', options: { redisUrl } },
  { resolve: '@medusajs/medusa/workflow-engine-redis', options: { redis: { redisUrl } } },
  { resolve: '@medusajs/medusa/cache-redis', options: { redisUrl } },
  {
    resolve: '@medusajs/medusa/caching',
    options: {
      providers: [
        { resolve: '@medusajs/medusa/caching-redis', id: 'caching-redis', is_default: true, options: { redisUrl } },
      ],
    },
  },
  {
    resolve: '@medusajs/medusa/locking',
    options: {
      providers: [
        { resolve: '@medusajs/medusa/locking-redis', id: 'locking-redis', is_default: true, options: { redisUrl } },
      ],
    },
  },
]

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: env.databaseUrl,
    // Sessions live in Redis when there is one, so several servers share them.
    redisUrl: env.redisUrl,
    // `pnpm start` and the containers run a `server` and a `worker` (MEDUSA_WORKER_MODE); dev one `shared`.
    workerMode: env.workerMode,
    http: {
      storeCors: env.storeCors,
      adminCors: env.adminCors,
      authCors: env.authCors,
      jwtSecret: env.jwtSecret,
      cookieSecret: env.cookieSecret,
    },
  },
  admin: {
    disable: env.adminDisabled,
    path: '/app',
    backendUrl: env.url,
  },
  modules: [
    {
      resolve: '@medusajs/medusa/file',
      key: Modules.FILE,
      options: {
        providers: [
          {
            resolve: '@medusajs/medusa/file-local',
            id: 'local',
            options: {
              upload_dir: env.uploadDir,
              private_upload_dir: env.privateUploadDir,
              backend_url: `${env.url}/static`,
            },
          },
        ],
      },
    },
    ...(env.redisUrl ? redisModules(env.redisUrl) : []),
  ],
})
