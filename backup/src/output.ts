// Where the engine talks: JSON log lines (pino) on stderr for Jobs and log collectors, a
// short human line per event and a redrawn progress line when stderr is a terminal.
// Command results go to stdout.
import { type Logger, pino } from 'pino'

export type { Logger }

export interface Terminal {
  write(text: string): unknown
  isTTY?: boolean
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
}
const BOOKKEEPING = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component'])

/** One readable line per log record, for people watching a terminal. */
function humanLine(json: string): string {
  const record = JSON.parse(json) as Record<string, unknown>
  const level = LEVELS[record.level as number] ?? 'info'
  const details = Object.entries(record)
    .filter(([key]) => !BOOKKEEPING.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  const prefix = level === 'info' ? '' : `${level}: `
  return `${prefix}${String(record.msg ?? '')}${details.length > 0 ? `  ${details.join(' ')}` : ''}\n`
}

export function createLogger(stderr: Terminal, level = 'info'): Logger {
  const destination = stderr.isTTY
    ? { write: (line: string) => stderr.write(`\r\x1b[K${humanLine(line)}`) }
    : { write: (line: string) => stderr.write(line) }
  return pino({ level, base: { component: 'helpdesk-backup' } }, destination)
}

export interface Progress {
  /** Total bytes so far. */
  update(bytes: number): void
  finish(): void
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${UNITS[unit]}`
}

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds))
  const hours = Math.floor(whole / 3600)
  const minutes = Math.floor((whole % 3600) / 60)
  const rest = String(whole % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`
}

export interface ProgressOptions {
  phase: string
  /** An estimate of the total; the ETA is only as good as it is. */
  total?: number
  stderr: Terminal
  logger: Logger
  /** How often a log line is written when stderr is not a terminal. */
  logEveryMs?: number
}

/** Bytes, rate and ETA: a redrawn line on a terminal, a log line now and then otherwise. */
export function startProgress({
  phase,
  total,
  stderr,
  logger,
  logEveryMs = 10_000,
}: ProgressOptions): Progress {
  const started = performance.now()
  const expected = total
  let bytes = 0
  let lastShown = started
  const figures = () => {
    const seconds = (performance.now() - started) / 1000
    const rate = seconds > 0 ? bytes / seconds : 0
    // Past the estimate, an ETA would be a guess dressed up as a figure.
    const estimate = expected !== undefined && bytes <= expected ? expected : undefined
    const remaining = estimate && rate > 0 ? (estimate - bytes) / rate : undefined
    return { seconds, rate, estimate, remaining }
  }
  const show = (force: boolean) => {
    const now = performance.now()
    if (!force && now - lastShown < (stderr.isTTY ? 250 : logEveryMs)) return
    lastShown = now
    const { seconds, rate, estimate, remaining } = figures()
    if (stderr.isTTY) {
      const of = estimate ? ` of ~${formatBytes(estimate)}` : ''
      const eta = remaining === undefined ? '' : `  ETA ${formatDuration(remaining)}`
      stderr.write(
        `\r\x1b[K${phase}: ${formatBytes(bytes)}${of}  ${formatBytes(rate)}/s  ${formatDuration(seconds)}${eta}`,
      )
    } else {
      logger.info(
        {
          phase,
          bytes,
          ...(estimate ? { expectedBytes: estimate } : {}),
          bytesPerSecond: Math.round(rate),
          ...(remaining === undefined ? {} : { etaSeconds: Math.round(remaining) }),
        },
        'progress',
      )
    }
  }
  return {
    update(total) {
      bytes = total
      show(false)
    },
    finish() {
      if (stderr.isTTY) {
        show(true)
        stderr.write('\n')
      }
    },
  }
}
