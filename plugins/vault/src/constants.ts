/** Where the resolved options live on `config.custom`. */
export const CONFIG_KEY = 'bizosaasVault'

/** The sealed collections plugins register (`registerSealedCollection`), on `config.custom`; rotation covers each. */
export const SEALED_COLLECTIONS_KEY = 'bizosaasVault:sealed'
