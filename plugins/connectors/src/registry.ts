/**
 * The registry of connectors: the list connector packs add to (kept on the Payload config, like
 * plugin-agents' `registerAgents`) plus the plugin's own `connectors` option. Pure: no I/O.
 */
import type { Config, Payload, SanitizedConfig } from 'payload'
import { REGISTRY_KEY } from './constants.ts'
import { connectorsConfigOf } from './defaults.ts'
import { type AnyConnector, ConnectionError } from './define.ts'

type AnyConfig = Config | SanitizedConfig

const listOf = (config: AnyConfig): AnyConnector[] => {
  if (!config.custom) config.custom = {}
  const custom = config.custom as Record<string, unknown>
  if (!custom[REGISTRY_KEY]) custom[REGISTRY_KEY] = []
  return custom[REGISTRY_KEY] as AnyConnector[]
}

/** Adds connectors to the config's list (for connector packs); an id registered twice is refused. */
export function registerConnectors(config: Config, connectors: readonly AnyConnector[]): AnyConnector[] {
  const list = listOf(config)
  for (const connector of connectors) {
    if (list.some((c) => c.id === connector.id))
      throw new Error(`Connector "${connector.id}" is registered twice (check your connector packs)`)
    list.push(connector)
  }
  return list
}

/** Every connector this Payload offers: the plugin's option, then the packs', in registration order. */
export function connectorsOf(payload: Payload): AnyConnector[] {
  const own = connectorsConfigOf(payload).connectors
  return [...own, ...listOf(payload.config).filter((c) => !own.some((o) => o.id === c.id))]
}

/** The connector `id`, or undefined. */
export function findConnector(payload: Payload, id: string): AnyConnector | undefined {
  return connectorsOf(payload).find((c) => c.id === id)
}

/** The connector `id`; a `ConnectionError('not-connected')` when no such connector is installed. */
export function connectorOf(payload: Payload, id: string): AnyConnector {
  const connector = findConnector(payload, id)
  if (!connector) throw new ConnectionError('not-connected', `No connector "${id}" is installed`, id)
  return connector
}
