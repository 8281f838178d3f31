/** Names the connectors plugin shares with its hosts: slugs, config keys, queue names, status values. */

export const CONNECTIONS_SLUG = 'connections'
/** Where the resolved options live on `payload.config.custom`. */
export const CONFIG_KEY = 'bizosaas-connectors'
/** The list connector packs add to (`registerConnectors`), on `config.custom`. */
export const REGISTRY_KEY = 'bizosaas-connectors:registry'
/**
 * `config.custom[CONNECTION_CLIENT_KEY]`: `(payload, { tenant, connector, signal }) => Promise<client>`,
 * how plugin-agents and `sendMail` find `connectionClient` without importing it.
 */
export const CONNECTION_CLIENT_KEY = 'connectionClient'

/** pg-boss cron queue: refreshes tokens that expire within the margin, every minute. */
export const REFRESH_QUEUE = 'connectors.refresh-tokens'

export const CONNECTION_STATUSES = Object.freeze(['connected', 'needs-reconnect', 'error'] as const)
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number]

/** First key of the two-int advisory lock per connection (`pg_advisory_xact_lock(NAMESPACE, id)`). */
export const LOCK_NAMESPACE = 0x636f6e6e // 'conn'
