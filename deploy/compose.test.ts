/**
 * docker-compose.yml checked without a Docker engine: every long-running service has a healthcheck,
 * every variable it reads is documented in .env.example, secrets are required (`:?`), the start order
 * is a graph without cycles, the migrations are one-shot steps everything else waits for, workers
 * scale, and each built image's Dockerfile and target exist.
 */
import { existsSync, readFileSync } from 'node:fs'
import { DockerfileParser } from 'dockerfile-ast'
import { describe, expect, it } from 'vitest'
import {
  composeText,
  composeVariables,
  dependenciesOf,
  environmentOf,
  interpolate,
  oneShotServices,
  readCompose,
} from './lib/compose.ts'
import { readEnvExample } from './lib/env-example.ts'
import { inRepo } from './lib/repo.ts'

const text = composeText()
const compose = readCompose(text)
const services = compose.services
const names = Object.keys(services)

/** Variables whose value is a credential: compose must refuse to start without them. */
const REQUIRED_SECRETS = [
  'POSTGRES_PASSWORD',
  'PAYLOAD_SECRET',
  'VAULT_KEYS',
  'JWT_SECRET',
  'COOKIE_SECRET',
  'REVALIDATE_SECRET',
]

describe('docker-compose.yml', () => {
  it('has every service of the production topology', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'postgres',
        'redis',
        'migrate',
        'migrate-commerce',
        'cms',
        'worker',
        'medusa',
        'medusa-worker',
        'storefront',
        'portal',
        'caddy',
        'metabase',
      ]),
    )
    expect(services.postgres?.image).toBe('postgres:17')
    expect(services.metabase?.profiles).toEqual(['metabase'])
  })

  it('gives every long-running service a healthcheck; only the one-shot migrations have none', () => {
    const oneShots = oneShotServices(compose)
    expect([...oneShots].sort()).toEqual(['migrate', 'migrate-commerce'])
    for (const name of names) {
      const check = services[name]?.healthcheck
      if (oneShots.has(name)) continue
      expect(check?.disable, `${name}: healthcheck disabled`).not.toBe(true)
      expect(check?.test, `${name} has no healthcheck`).toBeDefined()
    }
  })

  it('checks the health endpoints of the contract', () => {
    const testOf = (name: string) => [services[name]?.healthcheck?.test ?? []].flat().join(' ')
    expect(testOf('cms')).toContain('http://127.0.0.1:3001/api/health')
    expect(testOf('storefront')).toContain('http://127.0.0.1:3000/api/health')
    expect(testOf('portal')).toContain('http://127.0.0.1:3002/api/health')
    expect(testOf('worker')).toContain('http://127.0.0.1:3003/health/ready')
    expect(testOf('medusa')).toContain('http://127.0.0.1:9000/health')
    expect(testOf('medusa-worker')).toContain('http://127.0.0.1:9000/health')
  })

  it('reads only variables that .env.example documents', () => {
    const documented = readEnvExample()
    const missing = [...new Set(composeVariables(text).map((ref) => ref.name))].filter((name) => !documented.has(name))
    expect(missing, 'variables docker-compose.yml reads but .env.example does not list').toEqual([])
  })

  it('refuses to start without its secrets (VAR:?message at every use)', () => {
    const references = composeVariables(text)
    for (const secret of REQUIRED_SECRETS) {
      const uses = references.filter((ref) => ref.name === secret)
      expect(uses.length, `${secret} is never used`).toBeGreaterThan(0)
      for (const use of uses) {
        expect(use.operator, `${secret} used without :?`).toBe(':?')
        expect(use.argument, `${secret}: the message should say how to make one`).toMatch(/openssl rand|Set /)
      }
    }
    // No other variable may carry a secret in a default.
    for (const ref of references)
      if (/SECRET|PASSWORD|_KEYS?$/.test(ref.name) && !REQUIRED_SECRETS.includes(ref.name))
        expect(ref.operator === ':-' ? ref.argument : '', `${ref.name} has a non-empty default`).toBe('')
  })

  it('starts from a copied .env.example once the REQUIRED values are filled in, and not before', () => {
    const dotenv = Object.fromEntries([...readEnvExample().values()].map((entry) => [entry.name, entry.value]))
    const required = Object.fromEntries(
      [...REQUIRED_SECRETS, 'ACME_EMAIL'].map((name) => [name, `value-of-${name.toLowerCase()}`]),
    )
    const resolved = readCompose(interpolate(text, { ...dotenv, ...required }))
    expect(environmentOf(resolved.services.cms!).PAYLOAD_SECRET).toBe('value-of-payload_secret')
    expect(environmentOf(resolved.services.cms!).CMS_URL).toBe('https://cms.localhost')
    expect(environmentOf(resolved.services.medusa!).COMMERCE_DATABASE_URL).toBe(
      'postgres://bizosaas:value-of-postgres_password@postgres:5432/bizosaas_commerce',
    )
    expect(resolved.services.migrate?.image).toBe('bizosaas/cms-worker:latest')
    for (const name of Object.keys(required)) {
      const { [name]: _, ...withoutOne } = required
      expect(() => interpolate(text, { ...dotenv, ...withoutOne }), name).toThrow(new RegExp(`^${name}: Set ${name}`))
    }
  })

  it('starts services in an order without cycles, towards services that exist', () => {
    for (const name of names)
      for (const dep of dependenciesOf(services[name]!))
        expect(names, `${name} depends on unknown service ${dep}`).toContain(dep)
    // Depth-first search for a cycle.
    const state = new Map<string, 'visiting' | 'done'>()
    const visit = (name: string, path: string[]): void => {
      if (state.get(name) === 'done') return
      if (state.get(name) === 'visiting') throw new Error(`depends_on cycle: ${[...path, name].join(' → ')}`)
      state.set(name, 'visiting')
      for (const dep of dependenciesOf(services[name]!)) visit(dep, [...path, name])
      state.set(name, 'done')
    }
    for (const name of names) visit(name, [])
  })

  it('runs migrations once, before every service that uses the databases, never from a CMS replica', () => {
    const waitsFor = (name: string, step: string) => {
      const deps = services[name]?.depends_on
      return !Array.isArray(deps) && deps?.[step]?.condition === 'service_completed_successfully'
    }
    for (const name of ['cms', 'worker']) expect(waitsFor(name, 'migrate'), name).toBe(true)
    for (const name of ['medusa', 'medusa-worker']) expect(waitsFor(name, 'migrate-commerce'), name).toBe(true)
    expect([services.migrate?.command].flat().join(' ')).toContain('payload migrate')
    expect([services['migrate-commerce']?.command].flat().join(' ')).toContain('db:migrate')
    for (const name of ['cms', 'worker'])
      expect(environmentOf(services[name]!).MIGRATE_ON_START ?? '', `${name} migrates on start`).not.toBe('true')
  })

  it('lets the worker scale with --scale worker=N (no fixed name, no published port)', () => {
    for (const name of ['worker', 'cms', 'medusa-worker']) {
      expect(services[name]?.container_name, name).toBeUndefined()
      expect(services[name]?.ports, name).toBeUndefined()
    }
    expect(environmentOf(services.worker!).WORKER_PORT).toBe('3003')
  })

  it('writes environment values as strings (compose rejects YAML booleans there)', () => {
    for (const name of names) {
      const env = services[name]?.environment
      if (!env || Array.isArray(env)) continue
      for (const [key, value] of Object.entries(env))
        expect(typeof value === 'string' || typeof value === 'number', `${name}: ${key} is ${typeof value}`).toBe(true)
    }
  })

  it('publishes ports only through Caddy', () => {
    const published = names.filter((name) => services[name]?.ports?.length)
    expect(published).toEqual(['caddy'])
  })

  it('runs Medusa once as a server and once as a worker', () => {
    expect(environmentOf(services.medusa!).MEDUSA_WORKER_MODE).toBe('server')
    expect(environmentOf(services['medusa-worker']!).MEDUSA_WORKER_MODE).toBe('worker')
  })

  it('builds every image from a Dockerfile that exists, with the target it names', () => {
    for (const name of names) {
      const build = services[name]?.build
      if (!build) continue
      const spec = typeof build === 'string' ? { context: build } : build
      const dockerfile = inRepo(spec.context ?? '.', spec.dockerfile ?? 'Dockerfile')
      expect(existsSync(dockerfile), `${name}: ${dockerfile}`).toBe(true)
      const stages = DockerfileParser.parse(readFileSync(dockerfile, 'utf8'))
        .getFROMs()
        .map((from) => from.getBuildStage())
      if (spec.target) expect(stages, `${name}: target ${spec.target}`).toContain(spec.target)
      // Build args must be declared by the Dockerfile, or they are silently ignored.
      const declared = DockerfileParser.parse(readFileSync(dockerfile, 'utf8'))
        .getInstructions()
        .filter((instruction) => instruction.getKeyword() === 'ARG')
        .map((instruction) => instruction.getArguments()[0]?.getValue().split('=')[0])
      for (const arg of Object.keys(spec.args ?? {})) expect(declared, `${name}: build arg ${arg}`).toContain(arg)
    }
  })

  it('mounts files of the repository that exist', () => {
    for (const name of names)
      for (const volume of services[name]?.volumes ?? []) {
        const source = volume.split(':')[0]!
        if (source.startsWith('./')) expect(existsSync(inRepo(source)), `${name}: ${source}`).toBe(true)
        else expect(Object.keys(compose.volumes ?? {}), `${name}: named volume ${source}`).toContain(source)
      }
  })
})
