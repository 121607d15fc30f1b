// A progress bar for long runs: redrawn in place on a terminal, a line per tenth otherwise.

const WIDTH = 30

export function progressBar(
  out: NodeJS.WriteStream,
  label: string,
): (done: number, total: number) => void {
  const started = Date.now()
  let lastTenth = -1
  return (done, total) => {
    const fraction = total === 0 ? 1 : done / total
    const seconds = (Date.now() - started) / 1000
    const rate = seconds > 0 ? done / seconds : 0
    const eta = rate > 0 ? Math.round((total - done) / rate) : 0
    const filled = Math.round(fraction * WIDTH)
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${Math.round(rate).toLocaleString('en')}/s  ETA ${eta}s`
    if (out.isTTY) {
      out.write(`\r${line}${done >= total ? '\n' : ''}`)
      return
    }
    const tenth = Math.floor(fraction * 10)
    if (tenth !== lastTenth) {
      lastTenth = tenth
      out.write(`${line}\n`)
    }
  }
}
