/** `@bizosaas/plugin-social/platforms`: the platform contract and every platform BizOSaaS posts to. */
export * from './define.ts'
export * from './facebook.ts'
export * from './instagram.ts'
export * from './linkedin.ts'
