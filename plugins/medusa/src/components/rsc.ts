/** Server components of the Medusa bridge, referenced from the import map as `@bizosaas/plugin-medusa/rsc#Name`. */
export { CommerceSyncWidget } from './commerce-sync.tsx'
