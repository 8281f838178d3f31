/**
 * `.env.example` as data: each `NAME=value` line is a variable, the `#` lines right above it its
 * documentation. The checks use it to find variables that code or compose read but nobody documented.
 */
import { readFileSync } from 'node:fs'
import { inRepo } from './repo.ts'

export interface EnvExampleEntry {
  name: string
  value: string
  /** The comment lines directly above the variable (or above the group it belongs to), without `#`. */
  doc: string[]
  line: number
}

const VARIABLE = /^([A-Z][A-Z0-9_]*)=(.*)$/

/** Parses the text of an env file; throws on a line that is neither blank, a comment nor NAME=value. */
export function parseEnvExample(text: string): Map<string, EnvExampleEntry> {
  const entries = new Map<string, EnvExampleEntry>()
  let doc: string[] = []
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (line === '') {
      doc = []
      continue
    }
    if (line.startsWith('#')) {
      doc.push(line.replace(/^#\s?/, ''))
      continue
    }
    const match = VARIABLE.exec(line)
    if (!match) throw new Error(`.env.example line ${index + 1} is not NAME=value: ${line}`)
    const [, name, value] = match as unknown as [string, string, string]
    if (entries.has(name)) throw new Error(`.env.example lists ${name} twice (line ${index + 1})`)
    entries.set(name, { name, value, doc: [...doc], line: index + 1 })
    // Variables in a block share the comment above the block.
  }
  return entries
}

export const readEnvExample = (): Map<string, EnvExampleEntry> =>
  parseEnvExample(readFileSync(inRepo('.env.example'), 'utf8'))
