import type { Clock } from '../../src/runtime/clock.ts'

/** A clock that stands still until a test moves it. */
export class ManualClock implements Clock {
  #now: number

  constructor(start: Date) {
    this.#now = start.getTime()
  }

  now(): Date {
    return new Date(this.#now)
  }

  advance(milliseconds: number): void {
    this.#now += milliseconds
  }
}
