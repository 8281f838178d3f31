/**
 * The root `tsc -b` graph matches the package.json files: a dependency added without running
 * `pnpm tsconfig:references` would leave `pnpm typecheck` checking against a stale graph.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './env.ts'
import { referenceConfigs } from './tsconfig-references.ts'

describe('tsconfig project references', () => {
  const configs = referenceConfigs()

  it('has a project for every workspace package, and the root references each project once', () => {
    const root = configs.get('tsconfig.json') as { references: { path: string }[] }
    const projects = [...configs.keys()].filter((file) => file !== 'tsconfig.json')
    expect(root.references.map((r) => r.path).sort()).toEqual(projects.sort())
    for (const dir of ['contracts', 'scripts', 'agents', 'cms', 'commerce', 'storefront', 'portal', 'bench'])
      expect(configs.has(`${dir}/tsconfig.build.json`)).toBe(true)
  })

  it('splits a plugin whose tests use the CMS into source and tests, so the CMS can depend on its source', () => {
    const cms = configs.get('cms/tsconfig.build.json') as { references: { path: string }[] }
    const agentsTests = configs.get('plugins/agents/tsconfig.build.test.json') as { references: { path: string }[] }
    expect(cms.references).toContainEqual({ path: '../plugins/agents/tsconfig.build.json' })
    expect(agentsTests.references).toContainEqual({ path: '../../cms/tsconfig.build.json' })
    expect(agentsTests.references).toContainEqual({ path: './tsconfig.build.json' })
  })

  it('the committed files are what `pnpm tsconfig:references` writes', () => {
    for (const [file, json] of configs)
      expect(JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')), file).toEqual(json)
  })
})
