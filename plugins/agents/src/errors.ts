/** A refusal with an HTTP status and a message a person can act on; endpoints turn it into JSON. */
export class AgentsError extends Error {
  override name = 'AgentsError'
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Response headers, e.g. `Retry-After` of a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
}

export const errorResponse = (error: unknown): Response | undefined =>
  error instanceof AgentsError
    ? Response.json({ error: error.message, ...error.details }, { status: error.status, headers: error.headers })
    : undefined
