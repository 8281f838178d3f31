import * as migration_20261127_214744_initial from './20261127_214744_initial'
import * as migration_20261128_041112_commerce from './20261128_041112_commerce'
import * as migration_20261128_083552_vault from './20261128_083552_vault'
import * as migration_20261128_125005_featured_products from './20261128_125005_featured_products'
import * as migration_20261207_151537_service_accounts from './20261207_151537_service_accounts'
import * as migration_20261207_154522_audit_log from './20261207_154522_audit_log'
import * as migration_20261207_160000_rate_limits from './20261207_160000_rate_limits'
import * as migration_20261207_162349_tenant_data from './20261207_162349_tenant_data'
import * as migration_20261207_210544_media_webp_sizes from './20261207_210544_media_webp_sizes'
import * as migration_20261207_220000_worker_heartbeats from './20261207_220000_worker_heartbeats'
import * as migration_20261208_010000_connections from './20261208_010000_connections'
import * as migration_20261208_020000_connector_oauth from './20261208_020000_connector_oauth'
import * as migration_20261208_030000_model_keys from './20261208_030000_model_keys'
import * as migration_20261208_060000_webhooks from './20261208_060000_webhooks'
import * as migration_20261208_070000_integrations_to_connections from './20261208_070000_integrations_to_connections'
import * as migration_20261208_080000_social from './20261208_080000_social'

export const migrations = [
  {
    up: migration_20261127_214744_initial.up,
    down: migration_20261127_214744_initial.down,
    name: '20261127_214744_initial',
  },
  {
    up: migration_20261128_041112_commerce.up,
    down: migration_20261128_041112_commerce.down,
    name: '20261128_041112_commerce',
  },
  {
    up: migration_20261128_083552_vault.up,
    down: migration_20261128_083552_vault.down,
    name: '20261128_083552_vault',
  },
  {
    up: migration_20261128_125005_featured_products.up,
    down: migration_20261128_125005_featured_products.down,
    name: '20261128_125005_featured_products',
  },
  {
    up: migration_20261207_151537_service_accounts.up,
    down: migration_20261207_151537_service_accounts.down,
    name: '20261207_151537_service_accounts',
  },
  {
    up: migration_20261207_154522_audit_log.up,
    down: migration_20261207_154522_audit_log.down,
    name: '20261207_154522_audit_log',
  },
  {
    up: migration_20261207_160000_rate_limits.up,
    down: migration_20261207_160000_rate_limits.down,
    name: '20261207_160000_rate_limits',
  },
  {
    up: migration_20261207_162349_tenant_data.up,
    down: migration_20261207_162349_tenant_data.down,
    name: '20261207_162349_tenant_data',
  },
  {
    up: migration_20261207_210544_media_webp_sizes.up,
    down: migration_20261207_210544_media_webp_sizes.down,
    name: '20261207_210544_media_webp_sizes',
  },
  {
    up: migration_20261207_220000_worker_heartbeats.up,
    down: migration_20261207_220000_worker_heartbeats.down,
    name: '20261207_220000_worker_heartbeats',
  },
  {
    up: migration_20261208_010000_connections.up,
    down: migration_20261208_010000_connections.down,
    name: '20261208_010000_connections',
  },
  {
    up: migration_20261208_020000_connector_oauth.up,
    down: migration_20261208_020000_connector_oauth.down,
    name: '20261208_020000_connector_oauth',
  },
  {
    up: migration_20261208_030000_model_keys.up,
    down: migration_20261208_030000_model_keys.down,
    name: '20261208_030000_model_keys',
  },
  {
    up: migration_20261208_080000_social.up,
    down: migration_20261208_080000_social.down,
    name: '20261208_080000_social',
  },
  {
    up: migration_20261208_060000_webhooks.up,
    down: migration_20261208_060000_webhooks.down,
    name: '20261208_060000_webhooks',
  },
  {
    up: migration_20261208_070000_integrations_to_connections.up,
    down: migration_20261208_070000_integrations_to_connections.down,
    name: '20261208_070000_integrations_to_connections',
  },
]
