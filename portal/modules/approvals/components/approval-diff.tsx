import { type DiffPart, fieldDiffs } from '@lib/diff'

/** Current beside proposed, field by field, with the changed words marked. */
export function ApprovalDiff({
  current,
  proposed,
}: {
  current: Record<string, unknown> | null
  proposed: Record<string, unknown> | null
}) {
  return (
    <table className="diff" data-diff>
      <thead>
        <tr>
          <th>Field</th>
          <th>Current</th>
          <th>Proposed (changes marked)</th>
        </tr>
      </thead>
      <tbody>
        {fieldDiffs(current, proposed).map((d) => (
          <tr key={d.field} data-field={d.field}>
            <th>{d.field}</th>
            <td>{d.before || <em>empty</em>}</td>
            <td>
              <DiffText parts={d.parts} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The proposed text with insertions and deletions marked (keyed by position: parts never reorder). */
function DiffText({ parts }: { parts: DiffPart[] }) {
  let at = 0
  return parts.map((p) => {
    const key = `${p.kind}-${at}`
    at += p.text.length
    if (p.kind === 'same') return <span key={key}>{p.text}</span>
    return p.kind === 'added' ? <ins key={key}>{p.text}</ins> : <del key={key}>{p.text}</del>
  })
}
