/** The social connectors the plugin registers (one per platform family; Facebook's serves Instagram too). */
export * from './facebook.ts'
export * from './linkedin.ts'
