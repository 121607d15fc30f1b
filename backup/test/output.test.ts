import { describe, expect, it } from '@jest/globals'
import { createLogger, formatBytes, formatDuration, startProgress } from '../src/output.ts'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('progress', () => {
  it('logs bytes, rate and ETA as JSON lines when stderr is not a terminal', async () => {
    let written = ''
    const stderr = { write: (text: string) => (written += text) }
    const progress = startProgress({
      phase: 'backup',
      total: 4000,
      stderr,
      logger: createLogger(stderr),
      logEveryMs: 20,
    })
    progress.update(1000)
    expect(written).toBe('')
    await pause(50)
    progress.update(2000)
    progress.finish()
    const line = JSON.parse(written)
    expect(line).toMatchObject({
      msg: 'progress',
      phase: 'backup',
      bytes: 2000,
      expectedBytes: 4000,
    })
    expect(line.bytesPerSecond).toBeGreaterThan(0)
    expect(line.etaSeconds).toBeGreaterThanOrEqual(0)
  })

  it('redraws one line on a terminal and ends it', async () => {
    let written = ''
    const stderr = { isTTY: true, write: (text: string) => (written += text) }
    const progress = startProgress({
      phase: 'restore',
      total: 10 * 1048576,
      stderr,
      logger: createLogger(stderr),
    })
    await pause(300)
    progress.update(5 * 1048576)
    progress.finish()
    const frames = written.split('\r\x1b[K').filter(Boolean)
    expect(frames).toHaveLength(2)
    expect(frames[0]).toMatch(
      /^restore: 5\.0 MiB of ~10\.0 MiB {2}[\d.]+ MiB\/s {2}0:00 {2}ETA 0:00$/,
    )
    expect(written.endsWith('\n')).toBe(true)
  })

  it('formats sizes and durations for people', () => {
    expect([0, 1023, 1024, 1536 * 1024, 5 * 1024 ** 4].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 MiB',
      '5.0 TiB',
    ])
    expect([0, 59.6, 61, 3600 * 4 + 62].map(formatDuration)).toEqual([
      '0:00',
      '1:00',
      '1:01',
      '4:01:02',
    ])
  })
})
