/**
 * Checks on a raw API request before Payload reads it, for mistakes Payload would answer with a 500
 * or, worse, misread: a JSON body that does not parse or is not an object, a multipart body without a
 * boundary, a malformed `where` (Payload reads `?where[and]=x` as "no condition", so a bulk DELETE or
 * PATCH with it would reach every document), and the version routes of a collection that keeps none
 * (Payload queries a table that does not exist).
 */
import type { SanitizedConfig } from 'payload'
import { validOperatorSet } from 'payload/shared'
import * as qs from 'qs-esm'
import type { UserError } from './user-errors.ts'

const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT'])

/** What is wrong with the request as a whole, or `undefined`. `slug` is the path under /api, split. */
export async function requestProblem(
  request: Request,
  config: SanitizedConfig,
  slug: string[] = [],
): Promise<UserError | undefined> {
  return (
    contentTypeProblem(request, config, slug) ??
    (await bodyProblem(request)) ??
    queryProblem(request, config, slug) ??
    versionsProblem(config, slug) ??
    verifyProblem(config, slug)
  )
}

/** `/<auth collection>/verify/…` where email verification is off: Payload would query a field that does not exist. */
function verifyProblem(config: SanitizedConfig, slug: string[]): UserError | undefined {
  const [name, second] = slug
  if (second !== 'verify') return undefined
  const collection = config.collections.find((c) => c.slug === name)
  if (!collection?.auth || collection.auth.verify) return undefined
  return { status: 404, message: 'Email verification is not enabled for these accounts.' }
}

const READABLE_TYPES = new Set(['application/json', 'multipart/form-data'])

/**
 * A body Payload cannot read sent to its own create and update routes (`/<collection>`,
 * `/<collection>/<id>`, `/globals/<global>`): a 415 that says what to send. Payload would run the
 * operation without data and answer with a validation error about some field instead. Custom
 * endpoints (any path a collection configures) read their bodies themselves and are left alone.
 */
function contentTypeProblem(request: Request, config: SanitizedConfig, slug: string[]): UserError | undefined {
  if (!BODY_METHODS.has(request.method.toUpperCase()) || !request.body) return undefined
  const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (!type || READABLE_TYPES.has(type)) return undefined
  // Payload's "POST as GET" with a form-encoded query.
  if (type === 'application/x-www-form-urlencoded' && /get/i.test(request.headers.get('x-http-method-override') ?? ''))
    return undefined
  const [first, second, third] = slug
  const isGlobalUpdate = first === 'globals' && second && !third && config.globals.some((g) => g.slug === second)
  const collection = config.collections.find((c) => c.slug === first)
  const isDocumentWrite =
    collection &&
    !third &&
    (!second || !(collection.endpoints || []).some((e) => e.path === `/${second}` && !e.path.includes(':')))
  if (!isGlobalUpdate && !isDocumentWrite) return undefined
  return {
    status: 415,
    message: `The body was sent as ${type}; send it as application/json (or multipart/form-data for uploads).`,
  }
}

async function bodyProblem(request: Request): Promise<UserError | undefined> {
  if (!BODY_METHODS.has(request.method.toUpperCase()) || !request.body) return undefined
  const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (type === 'multipart/form-data' && !/boundary=/i.test(request.headers.get('content-type') ?? ''))
    return { status: 400, message: 'The multipart body has no boundary: send it as multipart/form-data; boundary=…' }
  if (type !== 'application/json') return undefined
  const text = await request.clone().text()
  if (!text.trim()) return undefined
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return { status: 400, message: `The request body is not valid JSON: ${(error as Error).message}` }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { status: 400, message: `The request body must be a JSON object like {"field": …}, not ${describe(data)}` }
  return undefined
}

const describe = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`)

/** `where` as Payload parses it (the same qs options as its createPayloadRequest). */
function queryProblem(request: Request, config: SanitizedConfig, slug: string[]): UserError | undefined {
  const { search } = new URL(request.url)
  if (!search.includes('where')) return undefined
  const query = qs.parse(search, { allowEmptyArrays: true, arrayLimit: 1000, depth: 10, ignoreQueryPrefix: true })
  if (query.where === undefined) return undefined
  const collection = config.collections.find((c) => c.slug === slug[0])
  const pointFields = new Set((collection?.flattenedFields ?? []).filter((f) => f.type === 'point').map((f) => f.name))
  const problem = whereProblem(query.where, 'where', pointFields)
  return problem ? { status: 400, message: `The "where" query is malformed: ${problem}` } : undefined
}

/**
 * What is wrong with a `where` (Payload's `Where`: field paths mapping to `{ operator: value }`, and
 * `and`/`or` holding lists of such objects), or `undefined` when its shape is right. Field names and
 * value types are Payload's to check.
 */
export function whereProblem(where: unknown, at: string, pointFields = new Set<string>()): string | undefined {
  if (!isPlainObject(where)) return `${at} must be an object like where[title][equals]=…`
  for (const [key, value] of Object.entries(where)) {
    const path = `${at}[${key}]`
    if (key === 'and' || key === 'or') {
      const list = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : undefined
      if (!list) return `${path} must be a list of conditions like ${path}[0][title][equals]=…`
      for (const [i, item] of list.entries()) {
        const problem = whereProblem(item, `${path}[${i}]`, pointFields)
        if (problem) return problem
      }
      continue
    }
    if (!isPlainObject(value)) return `${path} needs an operator, like ${path}[equals]=…`
    for (const operator of Object.keys(value))
      if (!validOperatorSet.has(operator as never))
        return `"${operator}" in ${path} is not an operator; use one of ${[...validOperatorSet].join(', ')}`
      else if (GEO_OPERATORS.has(operator) && !pointFields.has(key) && !key.includes('.'))
        return `"${operator}" in ${path} works on point (location) fields only`
  }
  return undefined
}

/** Payload's database adapter has these only for point fields (any other field fails with a TypeError). */
const GEO_OPERATORS = new Set(['near', 'within', 'intersects'])

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `/<collection>/versions…` or `/globals/<global>/versions…` of one that keeps no versions: a 404 saying so. */
function versionsProblem(config: SanitizedConfig, slug: string[]): UserError | undefined {
  const [first, second, third] = slug
  const isGlobal = first === 'globals'
  const name = isGlobal ? second : first
  if ((isGlobal ? third : second) !== 'versions' || !name) return undefined
  const entity = isGlobal
    ? config.globals.find((g) => g.slug === name)
    : config.collections.find((c) => c.slug === name)
  if (!entity || entity.versions) return undefined
  return { status: 404, message: `"${name}" keeps no versions.` }
}
