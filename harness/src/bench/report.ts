/**
 * One row of the `make bench` table. A benchmark measures `figure` and, in the same run
 * on the same machine, `ceiling`: the best that the layer underneath allows (a bare Koa
 * server, the same SQL run directly, `pg_dump > /dev/null`...). The ratio says how close
 * we come; absolute numbers on a shared 2-core machine say little on their own.
 */
export interface BenchRow {
  name: string
  figure: number
  unit: string
  /** What the ceiling is, e.g. "bare Koa hello-world". */
  ceilingName?: string
  ceiling?: number
  /** Optional target from an issue, e.g. "p95 <= 20 ms". */
  target?: string
}

const ROW_PREFIX = 'BENCH_ROW '

/** Benchmarks print rows with this; the runner collects them from stdout. */
export function reportRow(row: BenchRow): void {
  process.stdout.write(`${ROW_PREFIX}${JSON.stringify(row)}\n`)
}

export function parseRows(output: string): BenchRow[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(ROW_PREFIX))
    .map((line) => JSON.parse(line.slice(ROW_PREFIX.length)) as BenchRow)
}

const format = (value: number) =>
  Math.abs(value) >= 100
    ? value.toFixed(0)
    : Math.abs(value) >= 10
      ? value.toFixed(1)
      : value.toFixed(2)

export function markdownTable(rows: BenchRow[]): string {
  const lines = [
    '| benchmark | figure | unit | ceiling (same run) | ratio | target |',
    '|---|---:|---|---|---:|---|',
  ]
  for (const row of rows) {
    const ceiling =
      row.ceiling === undefined ? '—' : `${format(row.ceiling)} (${row.ceilingName ?? 'ceiling'})`
    const ratio = row.ceiling ? (row.figure / row.ceiling).toFixed(2) : '—'
    lines.push(
      `| ${row.name} | ${format(row.figure)} | ${row.unit} | ${ceiling} | ${ratio} | ${row.target ?? ''} |`,
    )
  }
  return lines.join('\n')
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** The p-th percentile (0-100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}
