/**
 * .env.example is the one list of settings: every variable the services read (found in their code)
 * is in it, documented. Variables only tests, benchmarks or tools set are in the commented allow-list
 * below, each with its reason; a dynamic `process.env[name]` read must be declared in DYNAMIC_READS.
 */
import { describe, expect, it } from 'vitest'
import { parseEnvExample, readEnvExample } from './lib/env-example.ts'
import { scanEnvReads, servicePackages } from './lib/env-reads.ts'

/**
 * Read by code, but set by the platform or by our own processes for their children: never
 * configuration. Not checked for staleness (the platform decides whether they exist).
 */
const SET_FOR_US: Record<string, string> = {
  INIT_CWD: 'set by pnpm to the directory a script was started from',
  NEXT_PHASE: 'set by Next.js (phase-production-build while building)',
  NEXT_RUNTIME: 'set by Next.js (nodejs or edge) in instrumentation and middleware',
  NEXT_TELEMETRY_DISABLED: "Next.js' own switch; the scripts and images set it",
  BIZOSAAS_START_GROUP: '`pnpm start` marks the copy of itself it re-runs in its own process group',
  DEMO_WEBHOOK_URL: '`pnpm dev` hands its seed the mock webhook receiver for the demo endpoint',
}

/** Read by code for tests or one-off commands, not by a deployed service. Each must still be read somewhere. */
const TEST_AND_TOOLS: Record<string, string> = {
  CHROMIUM_PATH: 'the browser the browser tests drive',
  NEXT_DIST_DIR: 'a second CMS build folder for the smoke tests',
  STOREFRONT_DIST_DIR: 'the storefront e2e build folder',
  PORTAL_DIST_DIR: 'the portal e2e build folder',
  // Arguments of one-off commands (`pnpm tenant:delete -- --dry-run`), passed through the environment.
  PAYLOAD_RUN_ARGS: 'arguments of `payload run` scripts, set by scripts/payload.ts',
  DRY_RUN: '`pnpm tenant:delete` without deleting (DRY_RUN=1)',
}

const NOT_SETTINGS = { ...SET_FOR_US, ...TEST_AND_TOOLS }

/** `process.env[name]` reads with a computed name, and the variables they can read. */
const DYNAMIC_READS: Record<string, string[]> = {
  // The model providers' key and base-URL variables (OpenAI, Anthropic).
  'agents/src/providers/vendor-sdk.ts': [
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_BASE_URL',
  ],
  // `pnpm mock-services`: the ports of its five servers.
  'scripts/mock-services.ts': [
    'MOCK_OAUTH_PORT',
    'MOCK_GOOGLE_PORT',
    'MOCK_WEBHOOKS_PORT',
    'MOCK_SOCIAL_PORT',
    'MOCK_SMTP_PORT',
  ],
  // Whether the platform's key or server is set for a provider (which key paid for a run).
  'plugins/agents/src/worker/model-keys.ts': [
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_BASE_URL',
  ],
}

const documented = readEnvExample()
const scan = scanEnvReads()

describe('.env.example', () => {
  it('lists every variable the services read', () => {
    const missing = new Map<string, string>()
    for (const read of scan.reads)
      if (!documented.has(read.name) && !(read.name in NOT_SETTINGS) && !missing.has(read.name))
        missing.set(read.name, `${read.file}:${read.line}`)
    expect(Object.fromEntries(missing), 'read by code, missing from .env.example (or NOT_SETTINGS)').toEqual({})
  })

  it('knows what every dynamic read can read, and lists those too', () => {
    for (const read of scan.dynamic) {
      const names = DYNAMIC_READS[read.file]
      expect(
        names,
        `${read.file}:${read.line} reads process.env[${read.name}]: declare it in DYNAMIC_READS`,
      ).toBeDefined()
      for (const name of names ?? []) expect(documented.has(name), name).toBe(true)
    }
  })

  it('scans every package of the workspace but the benchmarks and these checks', () => {
    const packages = servicePackages()
    for (const dir of ['cms', 'commerce', 'storefront', 'portal', 'agents', 'scripts', 'plugins/vault'])
      expect(packages).toContain(dir)
    expect(packages).not.toContain('bench')
    expect(packages).not.toContain('deploy')
  })

  it('finds the reads it must (the scan works)', () => {
    const names = new Set(scan.reads.map((read) => read.name))
    // One from each way of reading: process.env.X, a schema key, an env record, a spread shape.
    for (const name of [
      'STOREFRONT_URL',
      'PAYLOAD_SECRET',
      'JWT_SECRET',
      'METABASE_SECRET_KEY',
      'VAULT_KEYS',
      'RATE_LIMITS',
    ])
      expect(names, name).toContain(name)
  })

  it('keeps the allow-list honest: nothing in it is also a setting, everything in it is still read', () => {
    const read = new Set(scan.reads.map((r) => r.name))
    for (const name of Object.keys(NOT_SETTINGS))
      expect(documented.has(name), `${name} is in .env.example and NOT_SETTINGS`).toBe(false)
    for (const name of Object.keys(TEST_AND_TOOLS))
      expect(read.has(name), `${name} is no longer read: remove it from TEST_AND_TOOLS`).toBe(true)
  })

  it('documents every variable', () => {
    for (const entry of documented.values()) expect(entry.doc.join(' ').length, entry.name).toBeGreaterThan(10)
  })

  it('says how to make each secret and marks the ones production requires', () => {
    for (const name of [
      'PAYLOAD_SECRET',
      'VAULT_KEYS',
      'JWT_SECRET',
      'COOKIE_SECRET',
      'REVALIDATE_SECRET',
      'POSTGRES_PASSWORD',
    ]) {
      const doc = documented.get(name)!.doc.join(' ')
      expect(doc, name).toMatch(/openssl rand/)
      expect(doc, name).toMatch(/REQUIRED/)
      expect(documented.get(name)!.value, `${name} must not ship a value`).toBe('')
    }
  })

  it('lists the variables the other parts of the production work read', () => {
    for (const name of [
      'WORKER_PORT',
      'WORKERS',
      'MIGRATE_ON_START',
      'REDIS_URL',
      'MEDUSA_WORKER_MODE',
      'LOG_LEVEL',
      'METRICS_TOKEN',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'ALERT_SMTP_URL',
      'ALERT_FROM',
      'ALERT_WEBHOOK_URL',
      'ALERT_WEBHOOK_SECRET',
      'ALERT_QUEUE_AGE_SECONDS',
      'ALERT_FAILED_RUNS',
    ])
      expect(documented.has(name), name).toBe(true)
  })

  it('parses strictly: a stray line or a duplicate is an error', () => {
    expect(() => parseEnvExample('# a\nFOO=1\nFOO=2\n')).toThrow(/twice/)
    expect(() => parseEnvExample('export FOO=1\n')).toThrow(/not NAME=value/)
    expect(parseEnvExample('# what\nA=1\nB=\n\nC=x').get('B')?.doc).toEqual(['what'])
  })
})
