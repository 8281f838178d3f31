/**
 * The admin's import map is generated (`pnpm --filter @bizosaas/cms generate:importmap`) and committed.
 * A component path in the config that the map lacks renders nothing in the admin, silently: fail here.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { buildConfig } from 'payload'
import { expect, it } from 'vitest'
import { cmsConfig } from '../config.ts'

/** Every `package#Export` string anywhere in the config's admin components. */
function componentPaths(value: unknown, found = new Set<string>(), seen = new Set<unknown>()): Set<string> {
  if (typeof value === 'string') {
    if (/^@?[\w./-]+#\w+$/.test(value)) found.add(value)
  } else if (value && typeof value === 'object' && !seen.has(value)) {
    seen.add(value)
    for (const child of Object.values(value)) componentPaths(child, found, seen)
  }
  return found
}

it('lists every admin component the config uses', async () => {
  const config = await buildConfig(cmsConfig())
  const map = await readFile(path.resolve(import.meta.dirname, '../app/(payload)/admin/importMap.js'), 'utf8')
  const paths = [...componentPaths({ admin: config.admin, collections: config.collections })].filter((p) =>
    p.startsWith('@bizosaas/'),
  )
  expect(paths).toEqual(expect.arrayContaining(['@bizosaas/plugin-agents/client#RunAgentMenu']))
  const missing = paths.filter((p) => !map.includes(`"${p}"`))
  expect(missing, 'run `pnpm --filter @bizosaas/cms generate:importmap` and commit the import map').toEqual([])
})
