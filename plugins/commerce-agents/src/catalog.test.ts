import type { DocumentData } from '@bizosaas/plugin-agents'
import { describe, expect, it } from 'vitest'
import { reportMismatch } from './agents/catalog-audit.ts'
import type { AuditRecord } from './audit-ledger.ts'
import { catalogGaps, gapsOf, runsWithinBudget } from './catalog.ts'
import { DESCRIPTION_MIN_CHARS } from './constants.ts'

const long = 'x'.repeat(DESCRIPTION_MIN_CHARS)
const seo = { metaTitle: 'Lamp', metaDescription: 'A lamp' }

describe('gapsOf', () => {
  it('finds short or empty descriptions, missing images and missing SEO', () => {
    expect(gapsOf({ id: 'p', title: 'P', description: long, thumbnail: 't.png' }, seo)).toEqual([])
    expect(gapsOf({ id: 'p', title: 'P', description: long.slice(1), thumbnail: 't.png' }, seo)).toEqual([
      'description',
    ])
    expect(gapsOf({ id: 'p', title: 'P', description: `  ${long.slice(2)}  `, images: [{}] }, seo)).toEqual([
      'description',
    ])
    expect(gapsOf({ id: 'p', title: 'P', description: null, thumbnail: '', images: [] }, undefined)).toEqual([
      'description',
      'images',
      'seo',
    ])
    expect(gapsOf({ id: 'p', title: 'P', description: long, images: [{}] }, { metaTitle: 'Set' })).toEqual(['seo'])
  })

  it('lists only products with gaps, with their product-content documents', () => {
    const content = new Map<string, DocumentData>([['b', { id: 7, seo }]])
    const products = [
      { id: 'a', title: 'A', description: long, thumbnail: 't' },
      { id: 'b', title: 'B', description: 'short', thumbnail: 't' },
    ]
    expect(catalogGaps(products, content)).toEqual([
      { productId: 'a', title: 'A', missing: ['seo'], productContentId: null },
      { productId: 'b', title: 'B', missing: ['description'], productContentId: 7 },
    ])
  })
})

describe('runsWithinBudget', () => {
  it('divides what is left of the budget, after runs in flight, by the average run cost', () => {
    expect(runsWithinBudget({ monthlyBudgetUsd: 1, spentUsd: 0.5, averageRunUsd: 0.1, inFlight: 0 })).toBe(5)
    expect(runsWithinBudget({ monthlyBudgetUsd: 1, spentUsd: 0.5, averageRunUsd: 0.1, inFlight: 2 })).toBe(3)
    expect(runsWithinBudget({ monthlyBudgetUsd: 0.05, spentUsd: 0.02, averageRunUsd: null, inFlight: 0 })).toBe(3)
    expect(runsWithinBudget({ monthlyBudgetUsd: 1, spentUsd: 1.2, averageRunUsd: 0.1, inFlight: 0 })).toBe(0)
    expect(runsWithinBudget({ monthlyBudgetUsd: null, spentUsd: 9, averageRunUsd: 1, inFlight: 0 })).toBe(
      Number.POSITIVE_INFINITY,
    )
  })
})

describe('reportMismatch', () => {
  const record = (): AuditRecord => ({
    gaps: [
      { productId: 'a', title: 'A', missing: ['seo', 'description'], productContentId: 1 },
      { productId: 'b', title: 'B', missing: ['images'], productContentId: null },
    ],
    queued: new Map([['a', 'run-1']]),
    skipped: new Map([['b', 'no product-content document yet']]),
  })
  const report = {
    summary: 'Two products need work; one description was queued.',
    gaps: [
      { productId: 'b', title: 'B', missing: ['images' as const] },
      { productId: 'a', title: 'A', missing: ['description' as const, 'seo' as const] },
    ],
    queued: ['a'],
    skipped: [{ productId: 'b', reason: 'It has no content document yet.' }],
  }

  it('accepts a report that lists what the tools returned, in any order', () => {
    expect(reportMismatch(report, record())).toBeUndefined()
  })

  it('refuses invented, dropped or changed products and runs', () => {
    expect(reportMismatch(report, undefined)).toMatch(/did not call find-catalog-gaps/)
    expect(reportMismatch({ ...report, gaps: report.gaps.slice(1) }, record())).toMatch(/gaps list differs/)
    const changed = [{ ...report.gaps[0]!, missing: ['images' as const, 'seo' as const] }, report.gaps[1]!]
    expect(reportMismatch({ ...report, gaps: changed }, record())).toMatch(/gaps list differs/)
    expect(reportMismatch({ ...report, gaps: [...report.gaps, report.gaps[0]!] }, record())).toMatch(/gaps list/)
    expect(reportMismatch({ ...report, queued: ['a', 'b'] }, record())).toMatch(/queued list differs/)
    expect(reportMismatch({ ...report, queued: [] }, record())).toMatch(/queued list differs/)
    expect(reportMismatch({ ...report, skipped: [] }, record())).toMatch(/skipped list differs/)
  })
})
