import { z } from 'zod'

/**
 * The input field of an agent that works on one document (`input.target`): the plugin checks that
 * the document belongs to the caller's tenant before a run starts.
 */
export function documentTarget<const C extends readonly [string, ...string[]]>(collections: C) {
  return z
    .object({
      collection: z.enum(collections).describe('Collection of the document'),
      id: z.union([z.number().int().positive(), z.string().min(1)]).describe('Id of the document'),
    })
    .describe('The document to work on')
}
