/** Cron expressions as pg-boss reads them: the one validator settings and agent definitions share. */
import { CronExpressionParser } from 'cron-parser'

/** Validates a 5- or 6-field cron expression the way pg-boss reads it. */
export function cronError(value: unknown): string | true {
  if (value == null || value === '') return true
  if (typeof value !== 'string') return 'Use a cron expression like "0 6 * * 1" (Mondays at 06:00)'
  try {
    CronExpressionParser.parse(value)
    return value.trim().split(/\s+/).length >= 5 ? true : 'Use five fields: minute hour day-of-month month day-of-week'
  } catch (error) {
    return `Not a valid cron expression: ${(error as Error).message}`
  }
}
