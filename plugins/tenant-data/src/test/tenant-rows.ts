/**
 * Test helpers: every row of the CMS database that names a tenant, found from information_schema
 * (every table with a tenant column: `tenant_id`, versions' `version_tenant_id`, rels' `tenants_id`),
 * so tables added later are counted without a change here.
 */
import pg from 'pg'

export interface TenantRowCounts {
  /** `table.column` → rows naming the tenant. */
  naming: Record<string, number>
  /** `table.column` → rows whose tenant column is empty (orphans, e.g. after the tenant row went first). */
  empty: Record<string, number>
}

export async function tenantRowCounts(databaseUrl: string, tenantId: number): Promise<TenantRowCounts> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows: columns } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name IN ('tenant_id', 'version_tenant_id', 'tenants_id')
       ORDER BY table_name, column_name`,
    )
    const naming: Record<string, number> = {}
    const empty: Record<string, number> = {}
    for (const { table_name: table, column_name: column } of columns) {
      const key = `${table}.${column}`
      const q = (cond: string, values: unknown[]) =>
        client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" ${cond}`, values)
      naming[key] = (await q('= $1', [tenantId])).rows[0]!.n
      // Rels tables hold many kinds of references in one row; only the tenant-scoped ones must not be empty.
      // The audit log keeps the trace of the deletion itself (users and the tenant deleted): those entries
      // become platform-level (no tenant) when the tenant row goes, by design.
      if (column !== 'tenants_id' && table !== 'audit_log') empty[key] = (await q('IS NULL', [])).rows[0]!.n
    }
    return { naming, empty }
  } finally {
    await client.end()
  }
}

/** Runs one SQL query against a database and returns its rows. */
export async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text, values)).rows
  } finally {
    await client.end()
  }
}
