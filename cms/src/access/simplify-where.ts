/**
 * Access results without redundant conjuncts. The multi-tenant plugin ANDs its "the reader's tenants"
 * constraint to what our access functions return, and ours mostly say as much or more already: a
 * manager reads posts `tenant in [their tenants]` AND (plugin) `tenant in [their tenants]`; a user
 * reads `id = self` AND (plugin) `id = self OR tenants.tenant in […]`. The redundant half costs the
 * database real work: a `tenants.tenant` path joins the users' array table, which makes Payload run
 * a DISTINCT query before the read (on every populated author, too). `simplifyAccessResult` drops a
 * conjunct only when another conjunct implies it, so the result selects exactly the same documents.
 */
import type { AccessResult, Where } from 'payload'

type Scalar = string | number
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isScalar = (value: unknown): value is Scalar => typeof value === 'string' || typeof value === 'number'

/**
 * Same value as a query operand. Payload casts a query value to its field's type before querying
 * (an id or relationship `'7'` and `7` select the same rows), so a number and its decimal string count
 * as equal; anything else must be structurally equal.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (isScalar(a) && isScalar(b)) return String(a) === String(b)
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameValue(a[k], b[k]))
  }
  return a === b
}

/** `{ path: { equals | in: … } }` as (path, accepted values), or undefined for any other shape. */
function membership(where: Where): { path: string; values: Scalar[] } | undefined {
  const keys = Object.keys(where)
  if (keys.length !== 1 || keys[0] === 'and' || keys[0] === 'or') return undefined
  const condition = where[keys[0]!]
  if (!isObject(condition) || Object.keys(condition).length !== 1) return undefined
  if ('equals' in condition && isScalar(condition.equals)) return { path: keys[0]!, values: [condition.equals] }
  if ('in' in condition && Array.isArray(condition.in) && condition.in.every(isScalar))
    return { path: keys[0]!, values: condition.in }
  return undefined
}

const only = (where: Where, key: 'and' | 'or'): Where[] | undefined =>
  Object.keys(where).length === 1 && Array.isArray(where[key]) ? (where[key] as Where[]) : undefined

/**
 * True when every document `q` selects is selected by `p` too (conservative: false when unsure).
 * `path in X` implies `path in Y` when X ⊆ Y, also on array and hasMany paths (where they mean
 * "some row's value is in X").
 */
export function implies(q: Where, p: Where): boolean {
  if (sameValue(q, p)) return true
  const qOr = only(q, 'or')
  if (qOr) return qOr.length > 0 && qOr.every((branch) => implies(branch, p))
  const qAnd = only(q, 'and')
  if (qAnd?.some((part) => implies(part, p))) return true
  const pOr = only(p, 'or')
  if (pOr) return pOr.some((branch) => implies(q, branch))
  const pAnd = only(p, 'and')
  if (pAnd) return pAnd.length > 0 && pAnd.every((part) => implies(q, part))
  const qm = membership(q)
  const pm = membership(p)
  return Boolean(
    qm && pm && qm.path === pm.path && qm.values.every((v) => pm.values.some((w) => String(w) === String(v))),
  )
}

/** The conjuncts of a where (nested single-key `and`s flattened). */
function conjuncts(where: Where): Where[] {
  const and = only(where, 'and')
  return and ? and.flatMap(conjuncts) : [where]
}

/**
 * The access result with every conjunct that another conjunct implies left out (`A and (A or B)` is
 * `A`; `tenant in [1] and tenant in [1, 2]` is `tenant in [1]`). Booleans pass through unchanged.
 */
export function simplifyAccessResult(result: AccessResult): AccessResult {
  if (!isObject(result) || !only(result as Where, 'and')) return result
  const kept = conjuncts(result as Where)
  for (let i = 0; i < kept.length; ) {
    const redundant = kept.some((other, j) => j !== i && implies(other, kept[i]!))
    if (redundant) kept.splice(i, 1)
    else i++
  }
  return kept.length === 1 ? kept[0]! : { and: kept }
}
