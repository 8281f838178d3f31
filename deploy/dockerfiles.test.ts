/**
 * Every app's Dockerfile, checked without a Docker engine (none here): multi-stage on node:24-slim, its
 * COPY/ADD sources exist in the build context (the repository root, minus .dockerignore), each image
 * a container runs (the last stage, and the CMS's `worker`) runs as a non-root user with a
 * HEALTHCHECK on the contract's endpoint, installs are offline from `pnpm fetch`, no secret is baked in.
 */
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { lastArgument, readDockerfile, type Stage } from './lib/dockerfile.ts'
import { inRepo } from './lib/repo.ts'

/** Each Dockerfile, the stages a container runs, and the health URL each checks. */
const IMAGES = {
  'cms/Dockerfile': { runtime: '/api/health', worker: '/health/ready' },
  'storefront/Dockerfile': { runtime: '/api/health' },
  'portal/Dockerfile': { runtime: '/api/health' },
  'commerce/Dockerfile': { runtime: '/health' },
} as const

const dockerignore = readFileSync(inRepo('.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))

/** Whether .dockerignore keeps `source` out of the build context (its simple patterns only). */
function ignored(source: string): boolean {
  let out = false
  for (const pattern of dockerignore) {
    const negate = pattern.startsWith('!')
    const body = (negate ? pattern.slice(1) : pattern).replace(/^\.?\//, '')
    const regex = new RegExp(
      `^${body
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '(?:.*/)?')
        .replace(/\*/g, '[^/]*')}(?:/.*)?$`,
    )
    if (regex.test(source.replace(/^\.\//, ''))) out = !negate
  }
  return out
}

const run = (stage: Stage) =>
  stage.instructions
    .filter((i) => i.getKeyword() === 'RUN')
    .map((i) => i.getArgumentsContent() ?? '')
    .join('\n')

describe.each(Object.entries(IMAGES))('%s', (file, served) => {
  const dockerfile = readDockerfile(inRepo(file))
  const byName = new Map(dockerfile.stages.map((stage) => [stage.name, stage]))

  it('is multi-stage on node:24-slim', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3)
    for (const stage of dockerfile.stages)
      expect(stage.base === 'node:24-slim' || byName.has(stage.base), `${stage.name}: FROM ${stage.base}`).toBe(true)
  })

  it('copies only paths that exist in the build context', () => {
    expect(dockerfile.contextSources.length).toBeGreaterThan(0)
    for (const { source, line } of dockerfile.contextSources) {
      expect(existsSync(inRepo(source)), `line ${line}: COPY ${source} does not exist`).toBe(true)
      if (source !== '.') expect(ignored(source), `line ${line}: ${source} is in .dockerignore`).toBe(false)
    }
  })

  it('installs from the lockfile: pnpm fetch, then an offline, frozen install', () => {
    const all = dockerfile.stages.map(run).join('\n')
    expect(all).toContain('pnpm fetch')
    expect(all).toMatch(/pnpm install --offline --frozen-lockfile/)
  })

  it.each(Object.entries(served))('runs stage %s as a non-root user with a HEALTHCHECK on %s', (name, url) => {
    const stage = byName.get(name)!
    expect(stage, `no stage ${name}`).toBeDefined()
    const user = lastArgument(stage, 'USER')
    expect(user, 'no USER').toBeDefined()
    expect(['root', '0', '0:0']).not.toContain(user)
    const healthcheck = lastArgument(stage, 'HEALTHCHECK')
    expect(healthcheck).toContain(`127.0.0.1:`)
    expect(healthcheck).toContain(url)
    expect(lastArgument(stage, 'CMD')).toBeDefined()
    // A runnable stage copies build output from another stage, never the sources from the context.
    expect(dockerfile.contextSources.filter((source) => source.stage === name)).toEqual([])
  })

  it('makes the default target the served image', () => {
    expect(dockerfile.stages.at(-1)?.name).toBe('runtime')
  })

  it('bakes in no secret', () => {
    for (const stage of dockerfile.stages)
      for (const instruction of stage.instructions)
        if (['ENV', 'ARG'].includes(instruction.getKeyword()))
          expect(instruction.getArgumentsContent(), `${stage.name}: ${instruction.getKeyword()}`).not.toMatch(
            /SECRET|PASSWORD|API_KEY|VAULT_KEY|DATABASE_URL/,
          )
  })
})

describe('Next.js apps', () => {
  it.each(['cms', 'storefront', 'portal'])('%s runs the standalone server of the contract', (app) => {
    const runtime = readDockerfile(inRepo(`${app}/Dockerfile`)).stages.find((stage) => stage.name === 'runtime')!
    expect(lastArgument(runtime, 'CMD')).toContain(`${app}/server.js`)
    const copies = runtime.instructions.filter((i) => i.getKeyword() === 'COPY').map((i) => i.getArgumentsContent())
    expect(copies.join('\n')).toContain(`/repo/${app}/.next/standalone`)
    expect(copies.join('\n')).toContain(`/repo/${app}/.next/static ./${app}/.next/static`)
  })
})

describe('.dockerignore', () => {
  it('keeps installs, builds, local data and secrets out of the build context', () => {
    for (const path of [
      'node_modules',
      'cms/node_modules',
      'cms/.next',
      'commerce/.medusa',
      '.data',
      '.git',
      '.env',
      'cms/.env.local',
    ])
      expect(ignored(path), path).toBe(true)
    for (const path of ['.env.example', 'pnpm-lock.yaml', 'cms/src/worker.ts', 'tsconfig.base.json'])
      expect(ignored(path), path).toBe(false)
  })
})
