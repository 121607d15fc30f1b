// Log lines for a person at a terminal (LOG_FORMAT=pretty, the default on a TTY): time, level,
// message and the facts that matter, one line each; a stack only where an error carries one.
// Collectors get pino's JSON lines instead; both come from the same log calls.
import { Writable } from 'node:stream'

const LEVELS: Record<string, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  fatal: 'FATAL',
}

const COLORS: Record<string, string> = {
  warn: '\u001b[33m',
  error: '\u001b[31m',
  fatal: '\u001b[31m',
  debug: '\u001b[90m',
  trace: '\u001b[90m',
}
const RESET = '\u001b[0m'

/** Keys every line has (or that the line's layout already shows). */
const SHOWN = new Set(['level', 'time', 'service', 'msg', 'err', 'access'])

interface Line {
  level?: string
  time?: string
  msg?: string
  err?: { message?: string; stack?: string }
  access?: boolean
  [key: string]: unknown
}

/** One JSON log line as a person reads it. */
export function formatLine(json: string, color = false): string {
  let line: Line
  try {
    line = JSON.parse(json) as Line
  } catch {
    return json
  }
  const level = line.level ?? 'info'
  const label = LEVELS[level] ?? level.toUpperCase()
  const time = (line.time ?? '').slice(11, 19)
  const text = line.access ? accessText(line) : [line.msg, facts(line)].filter(Boolean).join('  ')
  const tint = color ? COLORS[level] : undefined
  const head = tint ? `${tint}${label}${RESET}` : label
  const stack = line.err?.stack ? `\n    ${line.err.stack.split('\n').join('\n    ')}` : ''
  const reason = !line.err?.stack && line.err?.message ? `  (${line.err.message})` : ''
  return `${time} ${head} ${text}${reason}${stack}`
}

function accessText(line: Line): string {
  const user = line.userId ? `  user ${line.userId}` : ''
  return `${line.method} ${line.path} ${line.status} ${line.responseTimeMs} ms${user}`
}

function facts(line: Line): string {
  return Object.entries(line)
    .filter(([key, value]) => !SHOWN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ')
}

/** A pino destination that writes pretty lines to `out`. */
export function prettyDestination(out: NodeJS.WritableStream & { isTTY?: boolean }): Writable {
  const color = out.isTTY === true
  let pending = ''
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) if (line.trim()) out.write(`${formatLine(line, color)}\n`)
      callback()
    },
  })
}
