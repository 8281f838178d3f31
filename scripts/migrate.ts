/** `pnpm migrate`: applies the CMS's committed migrations (embedded PostgreSQL unless DATABASE_URL is set). */
export {}

process.argv.splice(2, 0, 'migrate')
await import('./payload.ts')
