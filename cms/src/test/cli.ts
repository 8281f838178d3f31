import { spawn } from 'node:child_process'
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'

const cmsDir = path.resolve(import.meta.dirname, '../..')

/** Runs the real `payload` CLI in cms/ and returns its output; rejects with that output on failure. */
export function runPayloadCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(cmsDir, 'node_modules/.bin/payload'), args, {
      cwd: cmsDir,
      env: { ...process.env, PAYLOAD_SECRET: 'bizosaas-test-secret-0123456789abcdef', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      // Strip colour codes so callers can match on text.
      const text = stripVTControlCharacters(output)
      code === 0 ? resolve(text) : reject(new Error(`payload ${args.join(' ')} exited ${code}:\n${text}`))
    })
  })
}
