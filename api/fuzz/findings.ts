/**
 * What a failed schemathesis run found, a line each: every operation its output names under
 * FAILURES (with each check that failed there, `- Server error`) or ERRORS (with the error's
 * title), at most `limit` lines.
 */
export function findings(output: string, limit = 12): string[] {
  const found = new Set<string>()
  let section: string | undefined
  let operation: string | undefined
  let awaitingErrorTitle = false
  for (const line of output.split('\n').map((each) => each.trim())) {
    const heading = /^=+ ([A-Z]+) =+$/.exec(line)
    if (heading) {
      section = heading[1]
      operation = undefined
      continue
    }
    if (section !== 'FAILURES' && section !== 'ERRORS') continue
    const label = /^_+ (.+?) _+$/.exec(line)
    if (label) {
      operation = label[1]
      awaitingErrorTitle = section === 'ERRORS'
    } else if (operation && awaitingErrorTitle && line !== '') {
      found.add(`${operation}: ${line}`)
      awaitingErrorTitle = false
    } else if (operation && section === 'FAILURES' && line.startsWith('- ')) {
      found.add(`${operation}: ${line.slice(2)}`)
    }
  }
  const lines = [...found]
  return lines.length > limit
    ? [...lines.slice(0, limit), `… and ${lines.length - limit} more`]
    : lines
}
