/**
 * How agents join a Payload config: what agent packs call from their plugin function. The agents go
 * into the registry; their triggers become hooks; the collections they target get "Run agent".
 */
import type { Config } from 'payload'
import { COMPONENTS } from '../constants.ts'
import { cronError } from '../cron.ts'
import { addToRegistry } from '../registry.ts'
import type { PayloadAgent } from '../types.ts'
import { triggerHook } from './triggers.ts'

/**
 * Adds agents to a Payload config: what agent packs call from their plugin function. Attaches the
 * agents' triggers as hooks on the collections they watch. Duplicate slugs and an invalid
 * `schedule.defaultCron` are refused.
 */
export function registerAgents(config: Config, agents: readonly PayloadAgent[]): Config {
  for (const hosted of agents) {
    const cron = hosted.schedule?.defaultCron
    const invalid = cron === undefined ? true : cronError(cron)
    if (invalid !== true) throw new Error(`Agent "${hosted.agent.slug}": schedule.defaultCron "${cron}": ${invalid}`)
  }
  addToRegistry(config, agents)
  for (const hosted of agents) {
    for (const slug of hosted.targets ?? []) addRunAgentMenu(config, slug, hosted.agent.slug)
    for (const trigger of hosted.triggers ?? []) {
      const collection = config.collections?.find((c) => c.slug === trigger.collection)
      if (!collection)
        throw new Error(
          `Agent "${hosted.agent.slug}" triggers on collection "${trigger.collection}", which does not exist`,
        )
      collection.hooks ??= {}
      collection.hooks.afterChange = [...(collection.hooks.afterChange ?? []), triggerHook(hosted, trigger)]
    }
  }
  return config
}

/** Puts "Run agent" on the edit view of a collection an agent targets (once per collection). */
function addRunAgentMenu(config: Config, slug: string, agent: string): void {
  const collection = config.collections?.find((c) => c.slug === slug)
  if (!collection) throw new Error(`Agent "${agent}" targets collection "${slug}", which does not exist`)
  const controls = collection.admin?.components?.edit?.beforeDocumentControls ?? []
  if (controls.includes(COMPONENTS.runAgentMenu)) return
  // New objects all the way down: collection configs may be shared between Payload configs.
  collection.admin = {
    ...collection.admin,
    components: {
      ...collection.admin?.components,
      edit: { ...collection.admin?.components?.edit, beforeDocumentControls: [...controls, COMPONENTS.runAgentMenu] },
    },
  }
}
