/**
 * Redis for `pnpm start`: REDIS_URL when set; otherwise Debian's `redis-server` (when on PATH) started
 * like the embedded PostgreSQL, on EMBEDDED_REDIS_PORT with its files under DATA_DIR/redis; otherwise
 * none (the caller falls back to one Medusa process in `shared` mode).
 */
import { spawnSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { connect } from 'node:net'
import path from 'node:path'
import { portInUse } from './ports.ts'
import { type Service, startService } from './processes.ts'

export interface RedisServer {
  url: string
  /** The server we started (none for REDIS_URL). */
  service?: Service
  stop(): Promise<void>
}

/** The `redis-server` on PATH, if any. */
export function redisServerBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() || undefined : undefined
}

/** Answers true once `PING` gets `+PONG` from the server on 127.0.0.1:port. */
export function redisPing(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host })
    let reply = ''
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2_000, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (d) => {
      reply += d
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'))
    })
  })
}

export interface StartRedisOptions {
  dataDir: string
  port: number
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void
}

/** Starts `redis-server` (no persistence: queues of record live in PostgreSQL) and waits for PING. */
export async function startEmbeddedRedis(binary: string, options: StartRedisOptions): Promise<RedisServer> {
  if (await portInUse(options.port, '127.0.0.1'))
    throw new Error(
      `Port ${options.port} (Redis) is in use. Stop what is using it, set EMBEDDED_REDIS_PORT to a free port, or set REDIS_URL.`,
    )
  const dir = path.join(options.dataDir, 'redis')
  await mkdir(dir, { recursive: true })
  const service = startService(
    'redis',
    binary,
    [
      '--port',
      String(options.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ],
    { cwd: dir, env: process.env, onExit: options.onExit },
  )
  const deadline = Date.now() + 15_000
  while (!(await redisPing(options.port))) {
    if (service.child.exitCode !== null || Date.now() > deadline) {
      await service.stop()
      throw new Error(`redis-server did not answer on port ${options.port}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { url: `redis://127.0.0.1:${options.port}`, service, stop: () => service.stop() }
}
