/** What every endpoint of this plugin shares: errors as JSON responses, and reading a JSON body. */
import type { Endpoint, PayloadRequest } from 'payload'
import { AgentsError, errorResponse } from '../errors.ts'

/** Wraps a handler: an `AgentsError` (or a known user mistake) becomes its JSON 4xx; anything else is thrown on. */
export const handle =
  (fn: (req: PayloadRequest) => Promise<Response>): Endpoint['handler'] =>
  async (req) => {
    try {
      return await fn(req)
    } catch (error) {
      const response = errorResponse(error)
      if (response) return response
      throw error
    }
  }

/** The JSON body; no body at all reads as `{}` (each endpoint's schema then names what is missing). */
export async function readJson(req: PayloadRequest): Promise<unknown> {
  const text = req.text ? await req.text() : ''
  if (!text.trim()) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new AgentsError(400, 'The request body is not valid JSON.')
  }
}
