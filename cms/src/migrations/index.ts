import * as migration_20261127_211454_initial from './20261127_211454_initial'

export const migrations = [
  {
    up: migration_20261127_211454_initial.up,
    down: migration_20261127_211454_initial.down,
    name: '20261127_211454_initial',
  },
]
