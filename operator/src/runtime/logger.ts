import { type Logger, pino } from 'pino'

export type { Logger }

/** JSON log lines on stdout, one object per line, as every Helpdesk process writes them. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { component: 'helpdesk-operator' } })
}
