/**
 * The workspace's source has no import cycle (issue #17: layers import only downward), and the check
 * really finds one: a fixture whose cycle is closed by a type-only import.
 */
import { describe, expect, test } from 'vitest'
import { findImportCycles, WORKSPACE_CRUISES } from './import-cycles.ts'

describe('import cycles', () => {
  test('a deliberate cycle (closed by a type-only import) is found and printed; files outside it are not', async () => {
    const cycles = await findImportCycles([{ roots: ['scripts/lib/fixtures/import-cycle'] }], {
      exclude: ['node_modules'],
    })
    expect(cycles).toEqual([
      'scripts/lib/fixtures/import-cycle/a.ts → scripts/lib/fixtures/import-cycle/b.ts → scripts/lib/fixtures/import-cycle/c.ts → scripts/lib/fixtures/import-cycle/a.ts',
    ])
  })

  test('no package of the workspace has an import cycle', { timeout: 180_000 }, async () => {
    const cycles = await findImportCycles(WORKSPACE_CRUISES)
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([])
  })
})
