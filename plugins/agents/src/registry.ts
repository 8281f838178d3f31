/**
 * The registry of hosted agents: the list agent packs add to (kept on the Payload config) and the
 * runtime registry built from it. Pure: nothing here starts, queues or writes anything.
 */
import { type AgentRegistry, type AnyAgent, createAgentRegistry } from '@bizosaas/agents'
import type { Config, Payload, SanitizedConfig } from 'payload'
import { REGISTRY_KEY } from './constants.ts'
import type { PayloadAgent } from './types.ts'

type AnyConfig = Config | SanitizedConfig

const listOf = (config: AnyConfig): PayloadAgent[] => {
  if (!config.custom) config.custom = {}
  const custom = config.custom as Record<string, unknown>
  if (!custom[REGISTRY_KEY]) custom[REGISTRY_KEY] = []
  return custom[REGISTRY_KEY] as PayloadAgent[]
}

/** Adds agents to the config's list; a slug registered twice is refused. Returns the list. */
export function addToRegistry(config: Config, agents: readonly PayloadAgent[]): PayloadAgent[] {
  const list = listOf(config)
  for (const hosted of agents) {
    if (list.some((h) => h.agent.slug === hosted.agent.slug))
      throw new Error(`Agent "${hosted.agent.slug}" is registered twice (check your agent plugins)`)
    list.push(hosted)
  }
  return list
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
