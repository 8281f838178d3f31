import { type AgentRegistry, type AnyAgent, createAgentRegistry } from '@bizosaas/agents'
import type { Config, Payload, SanitizedConfig } from 'payload'
import { cronError } from './collections/agent-settings.ts'
import { COMPONENTS, REGISTRY_KEY } from './constants.ts'
import { triggerHook } from './triggers.ts'
import type { PayloadAgent } from './types.ts'

type AnyConfig = Config | SanitizedConfig

const listOf = (config: AnyConfig): PayloadAgent[] => {
  if (!config.custom) config.custom = {}
  const custom = config.custom as Record<string, unknown>
  if (!custom[REGISTRY_KEY]) custom[REGISTRY_KEY] = []
  return custom[REGISTRY_KEY] as PayloadAgent[]
}

/**
 * Adds agents to a Payload config: what agent packs call from their plugin function. Attaches the
 * agents' triggers as hooks on the collections they watch. Duplicate slugs and an invalid
 * `schedule.defaultCron` are refused.
 */
export function registerAgents(config: Config, agents: readonly PayloadAgent[]): Config {
  const list = listOf(config)
  for (const hosted of agents) {
    if (list.some((h) => h.agent.slug === hosted.agent.slug))
      throw new Error(`Agent "${hosted.agent.slug}" is registered twice (check your agent plugins)`)
    const cron = hosted.schedule?.defaultCron
    const invalid = cron === undefined ? true : cronError(cron)
    if (invalid !== true) throw new Error(`Agent "${hosted.agent.slug}": schedule.defaultCron "${cron}": ${invalid}`)
    list.push(hosted)
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

/** The agents hosted in this Payload, in registration order. */
export function hostedAgents(source: Payload | AnyConfig): PayloadAgent[] {
  return listOf('config' in source && 'collections' in source.config ? source.config : (source as AnyConfig))
}

const registries = new WeakMap<object, AgentRegistry>()

/** A runtime registry of the hosted agents (built once per config). */
export function agentRegistry(payload: Payload): AgentRegistry {
  let registry = registries.get(payload.config)
  if (!registry) {
    registry = createAgentRegistry(hostedAgents(payload).map((h) => h.agent as AnyAgent))
    registries.set(payload.config, registry)
  }
  return registry
}

export function hostedAgent(payload: Payload, slug: string): PayloadAgent | undefined {
  return hostedAgents(payload).find((h) => h.agent.slug === slug)
}
