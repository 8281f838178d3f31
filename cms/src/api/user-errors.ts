/**
 * User mistakes → 4xx, across the whole CMS API: which thrown errors come from the request (a body that
 * is not JSON, an id or filter value of the wrong type, a limit PostgreSQL refuses …) and the message a
 * person can act on. `mapUserErrors` applies it to every REST route, custom endpoint and GraphQL
 * operation (Payload's config-level `afterError`); `withUserErrors` (routes.ts) to what Payload throws
 * before its own error handling runs. Anything not recognised stays a 5xx: an outage is not a user error.
 * `userErrorsPlugin()` installs the hook, and a 404 for files no upload document has.
 */
import type { AfterErrorHook, CollectionConfig, CollectionSlug, Config } from 'payload'

/** Adds `mapUserErrors` to the config's `afterError` hooks (after any others). */
export function userErrorsPlugin() {
  return (config: Config): Config => ({
    ...config,
    hooks: { ...config.hooks, afterError: [...(config.hooks?.afterError ?? []), mapUserErrors] },
    collections: (config.collections ?? []).map((collection) =>
      collection.upload
        ? {
            ...collection,
            upload: {
              ...(collection.upload === true ? {} : collection.upload),
              handlers: [
                unknownFileIs404 as UploadHandler,
                ...((collection.upload !== true && collection.upload.handlers) || []),
              ],
            },
          }
        : collection,
    ),
  })
}

/**
 * `GET /api/<uploads>/file/<name>` of a name no document has: a 404. (Payload answers 500 "missing on
 * the disk" when the reader may read every document, as it looks no document up then.)
 */
async function unknownFileIs404(...[req, { doc, params }]: Parameters<UploadHandler>): Promise<Response | undefined> {
  if (doc) return
  const sizes = (req.payload.collections[params.collection as CollectionSlug]?.config.upload.imageSizes ?? []).map(
    (size) => ({ [`sizes.${size.name}.filename`]: { equals: params.filename } }),
  )
  const found = await req.payload
    .count({
      collection: params.collection as CollectionSlug,
      where: { or: [{ filename: { equals: params.filename } }, ...sizes] },
      overrideAccess: true,
      req,
    })
    // A name PostgreSQL refuses (a NUL byte) names no file either; an outage stays a 5xx.
    .catch((error: unknown) => {
      if (userErrorOf(error)) return { totalDocs: 0 }
      throw error
    })
  if (found.totalDocs === 0)
    return Response.json({ errors: [{ message: `No file named "${params.filename.slice(0, 120)}"` }] }, { status: 404 })
  return undefined
}

type UploadHandler = NonNullable<Exclude<CollectionConfig['upload'], boolean | undefined>['handlers']>[number]

export interface UserError {
  status: number
  message: string
  /** Per-field problems (zod issues), when there are any. */
  issues?: { path: string; message: string }[]
}

/** What the error was about, when the route knows it (the `:id` of the URL, the collection). */
export interface UserErrorContext {
  id?: unknown
  collection?: string
}

/**
 * PostgreSQL error classes and codes a request can cause with its values (see the PostgreSQL manual,
 * "Error Codes"). Class 22 is "data exception": a value of the wrong type, out of range, too long.
 * Connection, resource and internal classes (08, 53, 57, 58, XX …) are deliberately absent.
 */
const PG_ID_CODES = new Set(['22P02', '22003'])
const PG_USER_CODES: Record<string, string> = {
  '2201W': 'limit must be a positive whole number',
  '2201X': 'page must be a positive whole number',
  '22001': 'A value is longer than its field allows',
  '23502': 'A required value is missing',
  '23503': 'The request refers to a document that does not exist',
  '42703': 'The request names a field that does not exist',
  '54000': 'A value in the request is too large',
}

/** The 4xx a thrown error stands for, or `undefined` when it is not the user's doing (a 5xx). */
export function userErrorOf(error: unknown, context: UserErrorContext = {}): UserError | undefined {
  for (const err of causes(error)) {
    const status = (err as { status?: unknown }).status
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = (err as Error).message
      // Payload's own body parser says only "Invalid JSON".
      if (status === 400 && message === 'Invalid JSON')
        return { status, message: 'The request body is not valid JSON.' }
      return { status, message }
    }
    if (isPayloadFieldHookTypeError(err))
      return { status: 400, message: `A value in the request body has the wrong type for its field (${err.message})` }
    // Payload's verify operation on an auth collection without email verification queries a missing field.
    if (/Cannot find field for path at _verificationToken/.test((err as Error).message ?? ''))
      return { status: 404, message: 'Email verification is not enabled for these accounts.' }
    if (err instanceof SyntaxError && /JSON/.test(err.message))
      return { status: 400, message: `The request body is not valid JSON: ${err.message}` }
    if (err instanceof URIError) return { status: 400, message: `The URL is not valid: ${err.message}` }
    if (isZodError(err))
      return {
        status: 400,
        message: 'The request has invalid values',
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      }
    const code = pgCode(err)
    if (code) {
      const detail = (err as { detail?: string }).detail || (err as Error).message
      const id = context.id === undefined ? undefined : String(context.id)
      // Only when the refused value is the URL's id (as sent, or as Payload made it a number), not a filter value.
      const refused = (err as Error).message
      if (
        PG_ID_CODES.has(code) &&
        id &&
        context.collection &&
        (refused.includes(`"${id}"`) || refused.includes(`"${Number(id)}"`))
      )
        return { status: 400, message: `"${clip(id)}" is not a valid id for ${context.collection}` }
      if (code.startsWith('22') || code in PG_USER_CODES)
        return {
          status: 400,
          message: `${PG_USER_CODES[code] ?? 'A value in the request has the wrong type'}: ${clip(detail)}`,
        }
      return undefined
    }
  }
  return undefined
}

/** Payload's config-level `afterError` hook: user mistakes get their 4xx, in REST and in GraphQL. */
export const mapUserErrors: AfterErrorHook = ({ error, req, collection, graphqlResult }) => {
  // A 4xx Payload already answers keeps its body (a ValidationError's field errors are in `data`),
  // except the body parser's bare "Invalid JSON".
  const status = (error as { status?: unknown }).status
  if (typeof status === 'number' && status >= 400 && status < 500 && error.message !== 'Invalid JSON') return
  const mapped =
    userErrorOf(error, { id: req.routeParams?.id, collection: collection?.slug }) ?? unreadableBody(error, req)
  if (!mapped) return
  if (graphqlResult)
    return {
      graphqlResult: {
        ...graphqlResult,
        message: mapped.message,
        extensions: { ...graphqlResult.extensions, statusCode: mapped.status, issues: mapped.issues },
      },
    }
  return { response: errorBody(mapped), status: mapped.status }
}

/**
 * Payload reads JSON and multipart bodies only; with any other content type its operations get no data
 * and fail on it. That failure is the sender's: a 415 that says what to send.
 */
function unreadableBody(error: unknown, req: Parameters<AfterErrorHook>[0]['req']): UserError | undefined {
  if (!(error instanceof TypeError) || req.data !== undefined) return undefined
  if (!['POST', 'PATCH', 'PUT'].includes(req.method?.toUpperCase() ?? '')) return undefined
  const type = (req.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (!type || type === 'application/json' || type === 'multipart/form-data') return undefined
  return {
    status: 415,
    message: `The body was sent as ${type}; send it as application/json (or multipart/form-data for uploads).`,
  }
}

/** The body Payload answers errors with: `{ errors: [{ message }] }`. */
export const errorBody = (error: UserError) => ({
  errors: [{ message: error.message, ...(error.issues ? { data: { issues: error.issues } } : {}) }],
})

/** The error and what it wraps (Drizzle wraps the pg error; GraphQL the resolver's). */
function* causes(error: unknown): Generator<unknown> {
  let current = error
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    yield current
    const next =
      (current as { originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause ?? undefined
    if (next === current) return
    current = next
  }
}

/**
 * A TypeError raised by Payload's own field traversal or built-in field hooks (not a project hook): they
 * assume the body's values have their fields' shapes (`{"tenants": "all"}` for an array field, a number
 * as email) and fail on the sender's data before validation can name it.
 */
function isPayloadFieldHookTypeError(err: unknown): err is TypeError {
  if (!(err instanceof TypeError)) return false
  const top = err.stack?.split('\n').find((line) => line.trim().startsWith('at '))
  return Boolean(top && /[\\/]payload[\\/]dist[\\/](fields[\\/]hooks|auth[\\/]baseFields)[\\/]/.test(top))
}

/** A node-postgres error's SQLSTATE code, if this is one. */
function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; severity?: unknown; routine?: unknown }
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && (e.severity || e.routine) ? e.code : undefined
}

function isZodError(err: unknown): err is { issues: { path: PropertyKey[]; message: string }[] } {
  return (err as { name?: unknown }).name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues)
}

/** Long user input (a 10 kB id) is not echoed whole. */
const clip = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max)}…` : text)
