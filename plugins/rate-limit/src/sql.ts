/**
 * The SQL of the rate-limit counters (one table for every limit; rows are rate-limiter-flexible's
 * `key, points, expire`). The CMS's migration creates the table; the limiters never create it.
 */

/** The counters' table, in the CMS database's `public` schema. */
export const RATE_LIMITS_TABLE = 'rate_limits'

export const createRateLimitsTable = (table = RATE_LIMITS_TABLE) => `
  CREATE TABLE IF NOT EXISTS "${table}" (
    "key" varchar(255) PRIMARY KEY,
    "points" integer NOT NULL DEFAULT 0,
    "expire" bigint
  );
  CREATE INDEX IF NOT EXISTS "${table}_expire_idx" ON "${table}" ("expire");
`

export const dropRateLimitsTable = (table = RATE_LIMITS_TABLE) => `DROP TABLE IF EXISTS "${table}";`
