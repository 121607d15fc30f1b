// Facts about processes, read from /proc.
import { readFileSync } from 'node:fs'

/**
 * The fields of /proc/<pid>/stat from the state on (field 3 is index 0). The command name
 * before them may contain spaces but always ends with the last ')'.
 */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** A zombie (dead, not yet reaped) counts as gone, though kill(pid, 0) still succeeds. */
export function isAlive(pid: number): boolean {
  const fields = statFields(pid)
  return fields !== undefined && fields[0] !== 'Z'
}

export function parentOf(pid: number): number | undefined {
  const fields = statFields(pid)
  return fields ? Number(fields[1]) : undefined
}

/** Pid and start time (field 22): names one process even after its pid is reused. */
export function processIdentity(pid: number): string | undefined {
  const fields = statFields(pid)
  return fields && fields[0] !== 'Z' ? `${pid}:${fields[19]}` : undefined
}
