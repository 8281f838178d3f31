/** Audit entries as a table: when, who, what, which document and which fields (names only, as stored). */
import type { AuditEntry } from '@lib/data/audit'

/** What a membership entry adds to its action: the person and their roles in this tenant. */
function detailOf(entry: AuditEntry): string {
  const d = entry.details ?? {}
  if (typeof d.member === 'string') {
    const roles = Array.isArray(d.roles) && d.roles.length ? ` → ${d.roles.join(', ')}` : ''
    return `${d.member}${roles}`
  }
  if (typeof d.agent === 'string') return d.agent
  return ''
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <table data-audit>
      <thead>
        <tr>
          <th>When (UTC)</th>
          <th>Who</th>
          <th>Action</th>
          <th>Document</th>
          <th>Changed fields</th>
          <th>IP</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-audit-entry={e.id} data-action={e.action}>
            <td>{new Date(e.createdAt).toLocaleString('en-GB', { timeZone: 'UTC' })}</td>
            <td>{e.userEmail ?? '—'}</td>
            <td>
              <span className="pill">{e.action}</span> {detailOf(e)}
            </td>
            <td>{e.collectionSlug ? `${e.collectionSlug}${e.documentId ? ` #${e.documentId}` : ''}` : '—'}</td>
            <td>{e.changedFields?.join(', ') || '—'}</td>
            <td>{e.ip ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
