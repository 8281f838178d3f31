import type { IntegrationResult } from '@modules/integrations/actions'

/** An action's outcome: a status line, or an alert saying what to do. */
export function ResultMessage({ result }: { result: IntegrationResult }) {
  return (
    <>
      {result.message && (
        <p className="ok" role="status">
          {result.message}
        </p>
      )}
      {result.error && (
        <p className="error" role="alert">
          {result.error}
        </p>
      )}
    </>
  )
}
