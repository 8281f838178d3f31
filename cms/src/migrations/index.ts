import * as migration_20261127_214744_initial from './20261127_214744_initial'
import * as migration_20261128_041112_commerce from './20261128_041112_commerce'

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
]
