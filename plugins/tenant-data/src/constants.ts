/** Names and status values of the tenant-data plugin: the one place their spelling lives. */

/** Where the resolved options live on `config.custom`. */
export const CONFIG_KEY = 'bizosaasTenantData'

/** The collection that records export, import and deletion jobs (not tenant-scoped: it outlives the tenant). */
export const JOBS_SLUG = 'tenant-data-jobs'

/** pg-boss queue of tenant deletions. */
export const DELETE_QUEUE = 'tenant-data.delete'

/** Version of the archive layout; an importer refuses archives of another version. */
export const ARCHIVE_FORMAT = 1

export const JOB_KIND = Object.freeze({ export: 'export', import: 'import', deletion: 'deletion' } as const)
export type JobKind = (typeof JOB_KIND)[keyof typeof JOB_KIND]

export const JOB_STATUS = Object.freeze({
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
} as const)
export type JobStatus = (typeof JOB_STATUS)[keyof typeof JOB_STATUS]

/** Paths inside an archive. */
export const ARCHIVE_PATHS = Object.freeze({
  manifest: 'manifest.json',
  tenant: 'tenant.json',
  memberships: 'memberships.json',
  /** `documents/<collection>/<page>.ndjson`, one document per line. */
  documents: 'documents',
  /** `media/<collection>/<old id>/<filename>`, the original file and its resized copies. */
  media: 'media',
} as const)

/**
 * Fields never exported: sealed secrets (the connectors' connections), and values Payload derives when a document is read
 * (upload URLs), which would point at the old installation.
 * @see TenantDataPluginConfig.omitFields
 */
export const DEFAULT_OMIT_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  connections: Object.freeze(['ciphertext', 'keyId', 'secretHint']),
})
