/**
 * The CMS's REST and GraphQL route handlers, as `app/(payload)/api/…/route.ts` serves them and the test
 * harness calls them: Payload's handlers behind `withUserErrors`, which refuses malformed requests
 * (request-checks.ts) before Payload reads them and answers what Payload lets escape its own error
 * handling (a GraphQL body that is not JSON, a failure before the request is set up) with a 4xx when
 * the request caused it, and a JSON 500 without details otherwise. Every request runs in a log context
 * with its `x-request-id` (the caller's, or a new one), so Payload's log lines — and the agent runs it
 * queues — carry it as `reqId`; the response names it too.
 */
import { withLogContext } from '@bizosaas/observability/logger'
import { ensureRequestId, REQUEST_ID_HEADER } from '@bizosaas/observability/request-id'
import {
  GRAPHQL_POST,
  REST_DELETE,
  REST_GET,
  REST_OPTIONS,
  REST_PATCH,
  REST_POST,
  REST_PUT,
} from '@payloadcms/next/routes'
import { createPayloadRequest, getPayload, type SanitizedConfig } from 'payload'
import { requestProblem } from './request-checks.ts'
import { errorBody, userErrorOf } from './user-errors.ts'

type RouteArgs = { params: Promise<{ slug?: string[] }> }
type RouteHandler<A extends unknown[]> = (request: Request, ...args: A) => Promise<Response>

/**
 * Answers what `requestProblem` finds before any handler reads the request, and turns errors a handler
 * lets escape into the 4xx they stand for (or a JSON 500 without details).
 */
export function withUserErrors<A extends unknown[]>(
  config: Promise<SanitizedConfig> | SanitizedConfig,
  handler: RouteHandler<A>,
): RouteHandler<A> {
  return (request, ...args) => {
    const reqId = ensureRequestId(request.headers)
    return withLogContext({ reqId }, async () => {
      const response = await answer(request, ...args)
      try {
        response.headers.set(REQUEST_ID_HEADER, reqId)
      } catch {
        // Immutable headers (a fetched response passed through): the id is in the logs all the same.
      }
      return response
    })
  }

  async function answer(request: Request, ...args: A): Promise<Response> {
    try {
      const params = (args[0] as Partial<RouteArgs> | undefined)?.params
      const slug = (await params)?.slug
      const problem = await requestProblem(request, await config, slug)
      if (problem) return Response.json(errorBody(problem), { status: problem.status })
      if (request.method === 'DELETE' && slug?.length === 2 && slug[0] === PREFERENCES)
        return await deletePreference(request, config, slug[1]!)
      return await handler(request, ...args)
    } catch (error) {
      const mapped = userErrorOf(error)
      if (mapped) return Response.json(errorBody(mapped), { status: mapped.status })
      const { logger } = await getPayload({ config: await config })
      logger.error({ err: error, method: request.method, path: new URL(request.url).pathname }, 'unhandled API error')
      return Response.json(errorBody({ status: 500, message: 'Something went wrong.' }), { status: 500 })
    }
  }
}

const PREFERENCES = 'payload-preferences'

/**
 * `DELETE /api/payload-preferences/:key`, which Payload 3.90 fails on PostgreSQL for every key (its
 * deleteOne joins the relationship table without naming it: "missing FROM-clause entry"): the same
 * delete of the signed-in user's preference, through the Local API.
 */
async function deletePreference(request: Request, config: Promise<SanitizedConfig> | SanitizedConfig, key: string) {
  const req = await createPayloadRequest({ config, request, canSetHeaders: false })
  if (!req.user) return Response.json(errorBody({ status: 401, message: 'Sign in first.' }), { status: 401 })
  const { docs } = await req.payload.delete({
    collection: PREFERENCES,
    where: {
      and: [
        { key: { equals: key } },
        { 'user.value': { equals: req.user.id } },
        { 'user.relationTo': { equals: req.user.collection } },
      ],
    },
    overrideAccess: true,
    req,
  })
  if (!docs.length)
    return Response.json(errorBody({ status: 404, message: `No preference "${key.slice(0, 120)}"` }), { status: 404 })
  return Response.json({ message: 'Deleted.', doc: docs[0] })
}

/** `app/(payload)/api/[...slug]/route.ts`: every REST route, the custom endpoints included. */
export function restRoutes(config: Promise<SanitizedConfig> | SanitizedConfig) {
  const wrap = (build: (c: typeof config) => (req: Request, args: RouteArgs) => Promise<Response>) =>
    withUserErrors<[RouteArgs]>(config, build(config))
  return {
    GET: wrap(REST_GET),
    POST: wrap(REST_POST),
    DELETE: wrap(REST_DELETE),
    PATCH: wrap(REST_PATCH),
    PUT: wrap(REST_PUT),
    OPTIONS: wrap(REST_OPTIONS),
  }
}

/** `app/(payload)/api/graphql/route.ts`. */
export function graphqlRoutes(config: Promise<SanitizedConfig> | SanitizedConfig) {
  return {
    POST: withUserErrors<[]>(config, GRAPHQL_POST(config)),
    OPTIONS: withUserErrors<[RouteArgs]>(config, REST_OPTIONS(config)),
  }
}
