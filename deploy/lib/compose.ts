/**
 * docker-compose.yml as data: parsed with `yaml` (merge keys on, as compose reads them) plus the
 * variables it interpolates (`${VAR}`, `${VAR:-default}`, `${VAR:?message}`, `$VAR`; `$$` is a literal $).
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { inRepo } from './repo.ts'

export interface ComposeService {
  image?: string
  build?: string | { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> }
  command?: string[] | string
  container_name?: string
  ports?: unknown[]
  restart?: string
  profiles?: string[]
  environment?: Record<string, string | number | boolean | null> | string[]
  depends_on?: string[] | Record<string, { condition?: string }>
  healthcheck?: { test?: string[] | string; disable?: boolean }
  volumes?: string[]
  deploy?: { replicas?: number }
}

export interface ComposeFile {
  name?: string
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
}

export interface VariableReference {
  name: string
  /** '' for `${VAR}`/`$VAR`, otherwise the operator: ':-', '-', ':?', '?', ':+', '+'. */
  operator: string
  /** What follows the operator (default value or error message), with nested references left in. */
  argument: string
}

/** Every variable a compose text interpolates, in order (nested defaults included). */
export function composeVariables(text: string): VariableReference[] {
  const found: VariableReference[] = []
  const scan = (input: string): void => {
    for (let i = 0; i < input.length; i++) {
      if (input[i] !== '$') continue
      const next = input[i + 1]
      if (next === '$') {
        i++ // `$$`: a literal dollar sign
        continue
      }
      if (next === '{') {
        // Find the matching brace (defaults may hold ${...} themselves).
        let depth = 1
        let j = i + 2
        for (; j < input.length && depth > 0; j++) {
          if (input[j] === '{') depth++
          else if (input[j] === '}') depth--
        }
        if (depth !== 0) throw new Error(`unclosed \${ in compose text near: ${input.slice(i, i + 40)}`)
        const body = input.slice(i + 2, j - 1)
        const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body)
        if (!match) throw new Error(`not a compose variable reference: \${${body}}`)
        const [, name, operator = '', argument = ''] = match as unknown as [string, string, string?, string?]
        found.push({ name, operator, argument })
        scan(argument)
        i = j - 1
        continue
      }
      const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i + 1))
      if (bare) {
        found.push({ name: bare[0], operator: '', argument: '' })
        i += bare[0].length
      }
    }
  }
  scan(text)
  return found
}

/**
 * Substitutes variables the way compose does (`:-`/`-` defaults, `:?`/`?` errors, `:+`/`+` alternatives,
 * `$$` for a dollar); `vars` is the environment plus .env. Throws the `:?` message of a missing value.
 */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') {
      out += text[i]
      continue
    }
    if (text[i + 1] === '$') {
      out += '$'
      i++
      continue
    }
    if (text[i + 1] === '{') {
      let depth = 1
      let j = i + 2
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '{') depth++
        else if (text[j] === '}') depth--
      }
      const body = text.slice(i + 2, j - 1)
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body)
      if (!match || depth !== 0) throw new Error(`not a compose variable reference: \${${body}}`)
      const [, name, operator = '', argument = ''] = match as unknown as [string, string, string?, string?]
      const value = vars[name]
      const set = value !== undefined
      const nonEmpty = set && value !== ''
      const present = operator.startsWith(':') ? nonEmpty : set
      if (operator.endsWith('-')) out += present ? value : interpolate(argument, vars)
      else if (operator.endsWith('?')) {
        if (!present) throw new Error(`${name}: ${argument || 'required'}`)
        out += value
      } else if (operator.endsWith('+')) out += present ? interpolate(argument, vars) : ''
      else out += value ?? ''
      i = j - 1
      continue
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))
    if (bare) {
      out += vars[bare[0]] ?? ''
      i += bare[0].length
    } else out += '$'
  }
  return out
}

export const composeText = (): string => readFileSync(inRepo('docker-compose.yml'), 'utf8')

/** The parsed compose file (anchors resolved, `<<` merges applied). */
export function readCompose(text = composeText()): ComposeFile {
  return parse(text, { merge: true, maxAliasCount: -1 }) as ComposeFile
}

/** Names of the services `service` depends on. */
export function dependenciesOf(service: ComposeService): string[] {
  const deps = service.depends_on
  if (!deps) return []
  return Array.isArray(deps) ? deps : Object.keys(deps)
}

/** The environment of a service as a map (list form `KEY=value` included). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment
  if (!env) return {}
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=')
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)]
      }),
    )
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]))
}

/**
 * One-shot services: `restart: "no"` and awaited by another service with
 * `condition: service_completed_successfully` (the migrations).
 */
export function oneShotServices(compose: ComposeFile): Set<string> {
  const awaited = new Set<string>()
  for (const service of Object.values(compose.services))
    if (service.depends_on && !Array.isArray(service.depends_on))
      for (const [name, dep] of Object.entries(service.depends_on))
        if (dep.condition === 'service_completed_successfully') awaited.add(name)
  return new Set([...awaited].filter((name) => compose.services[name]?.restart === 'no'))
}
