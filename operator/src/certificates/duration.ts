const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 }

/** Milliseconds of a Go duration such as "2160h", "1h30m" or "90s" (the syntax cert-manager uses). */
export function parseGoDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)]
  if (parts.length === 0 || parts.map(([part]) => part).join('') !== text) {
    throw new Error(`"${text}" is not a duration such as 2160h or 90m`)
  }
  return parts.reduce(
    (total, [, value, unit]) => total + Number(value) * (UNIT_MS[unit as string] as number),
    0,
  )
}
