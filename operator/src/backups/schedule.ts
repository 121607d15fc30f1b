import { CronExpressionParser } from 'cron-parser'

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly'])

/**
 * A backup schedule: a five-field cron expression (as in a Kubernetes CronJob) or one of
 * the macros @hourly … @yearly, evaluated in UTC.
 */
export class BackupSchedule {
  readonly expression: string

  private constructor(expression: string) {
    this.expression = expression
  }

  /** The schedule, or a message saying what is wrong with the expression. */
  static parse(expression: string): BackupSchedule | { error: string } {
    const trimmed = expression.trim()
    const fields = trimmed.split(/\s+/)
    if (!MACROS.has(trimmed) && fields.length !== 5) {
      return {
        error: `schedule "${expression}" must have five fields (minute hour day-of-month month day-of-week)`,
      }
    }
    try {
      CronExpressionParser.parse(trimmed, { tz: 'UTC', strict: false })
    } catch (error) {
      return {
        error: `schedule "${expression}" is not a valid cron expression: ${(error as Error).message}`,
      }
    }
    return new BackupSchedule(trimmed)
  }

  /** The latest firing at or before `now`. */
  previous(now: Date): Date {
    // prev() is strictly before the current date; a firing exactly at `now` counts as due.
    const parsed = CronExpressionParser.parse(this.expression, {
      tz: 'UTC',
      currentDate: new Date(now.getTime() + 1),
    })
    return parsed.prev().toDate()
  }

  /** The first firing after `now`. */
  next(now: Date): Date {
    return CronExpressionParser.parse(this.expression, { tz: 'UTC', currentDate: now })
      .next()
      .toDate()
  }

  /** The time between the two latest firings: how often the schedule runs around `now`. */
  interval(now: Date): number {
    const latest = this.previous(now)
    return latest.getTime() - this.previous(new Date(latest.getTime() - 1)).getTime()
  }
}
