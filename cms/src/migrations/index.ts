import * as migration_20261127_214744_initial from './20261127_214744_initial'

export const migrations = [
  {
    up: migration_20261127_214744_initial.up,
    down: migration_20261127_214744_initial.down,
    name: '20261127_214744_initial',
  },
]
