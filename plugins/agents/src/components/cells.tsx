'use client'
import type { DefaultCellComponentProps } from 'payload'
import type React from 'react'
import { formatUsd } from './api.ts'
import { StatusBadge } from './status.tsx'

/** List cell: status pill. */
export function StatusCell({ cellData }: DefaultCellComponentProps): React.ReactElement {
  return <StatusBadge status={cellData as string} />
}

/** List cell: cost in US dollars. */
export function CostCell({ cellData }: DefaultCellComponentProps): React.ReactElement {
  return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatUsd(cellData)}</span>
}
