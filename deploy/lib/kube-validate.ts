/**
 * Kubernetes objects checked against the official OpenAPI schemas, two ways: kubernetes-models'
 * validators (types, formats, required fields, enums) and, for what they allow silently — a field
 * the API does not know, like a misspelt `livenesProbe` — TypeScript's excess-property check against
 * the same models' interfaces (the equivalent of `kubeconform -strict`).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import type { Manifest } from './helm.ts'
import { inRepo } from './repo.ts'

/** Where the model of an apiVersion lives: core and built-in groups in kubernetes-models, KEDA's in @kubernetes-models/keda. */
function modelModule(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}/${kind}`
  return `kubernetes-models/${apiVersion}/${kind}`
}

interface ModelClass {
  new (data: unknown): { validate(): void }
}

/** Problems kubernetes-models' validator finds, one string per object ('' when valid). */
export async function schemaProblems(manifests: Manifest[]): Promise<string[]> {
  const problems: string[] = []
  for (const manifest of manifests) {
    const label = `${manifest.kind}/${manifest.metadata?.name}`
    let Model: ModelClass
    try {
      const mod = (await import(modelModule(manifest.apiVersion, manifest.kind))) as Record<string, ModelClass>
      Model = mod[manifest.kind]!
      if (!Model) throw new Error('no model')
    } catch {
      problems.push(`${label}: no schema for ${manifest.apiVersion} ${manifest.kind}`)
      continue
    }
    try {
      new Model(manifest).validate()
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`)
    }
  }
  return problems
}

/** Unknown or mistyped fields, by TypeScript against the models' interfaces (strict: no extra fields). */
export function strictFieldProblems(manifests: Manifest[]): string[] {
  const dir = inRepo('deploy/node_modules/.cache/kube-strict')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `manifests-${process.pid}-${Date.now()}.ts`)
  const imports = new Map<string, string>()
  const lines: string[] = []
  manifests.forEach((manifest, index) => {
    const module = modelModule(manifest.apiVersion, manifest.kind)
    const alias = `I${index}`
    imports.set(alias, `import type { I${manifest.kind} as ${alias} } from '${module}'`)
    lines.push(`// ${manifest.kind}/${manifest.metadata?.name}`)
    lines.push(`export const m${index}: ${alias} = ${JSON.stringify(manifest, null, 2)}`)
  })
  writeFileSync(file, [...imports.values(), ...lines].join('\n'))
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  })
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    if (!diagnostic.file || diagnostic.start === undefined) return message
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    const source = diagnostic.file.text.split('\n')
    // Name the object: the nearest `// Kind/name` line above.
    const owner = source
      .slice(0, line + 1)
      .reverse()
      .find((text) => text.startsWith('// '))
    return `${owner?.slice(3) ?? '?'}: ${message} (at: ${source[line]?.trim()})`
  })
}
