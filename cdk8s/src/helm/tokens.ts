// Placeholders the chart generator puts where a configured value will go. Strings carry
// `x0h<n>x` (lowercase alphanumerics, so they survive inside DNS names and labels); numbers
// are 987650000 + n. Each placeholder stands for one Helm expression.
import { EmitterError, FIXES } from './errors.ts'
import type { Path } from './schema-model.ts'

export type Token =
  /** A configured scalar; `integer` for whole numbers (printed with %d inside strings). */
  | { kind: 'value'; path: Path; number: boolean; integer?: boolean }
  | { kind: 'release' }
  | { kind: 'namespace' }
  /** A configured list, spliced into a list. */
  | { kind: 'list'; path: Path }
  /** A configured string map, merged into a map (configured keys win). */
  | { kind: 'map'; path: Path }
  | { kind: 'join'; path: Path; separator: string }
  | { kind: 'hash'; id: string; length: number }
  /** `secretName` may itself hold tokens. */
  | { kind: 'generated'; secretName: string; key: string; length: number }

const NUMBER_BASE = 987_650_000
/** Number placeholders are 10 apart: a placeholder plus a little lands between two, and shows. */
const NUMBER_STEP = 10
const NUMBER_SPAN = 10_000
export const STRING_TOKEN = /x0h(\d+)x/g
export const NUMBER_TOKEN = /98765(\d{4})/g

export class TokenRegistry {
  private readonly ids = new Map<string, number>()
  private readonly tokens: Token[] = []

  private id(token: Token): number {
    const key = JSON.stringify(token)
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.tokens.length
      if (id * NUMBER_STEP >= NUMBER_SPAN) {
        throw new Error(`more than ${NUMBER_SPAN / NUMBER_STEP} distinct placeholders`)
      }
      this.tokens.push(token)
      this.ids.set(key, id)
    }
    return id
  }

  string(token: Token): string {
    return `x0h${this.id(token)}x`
  }

  number(token: Token): number {
    return NUMBER_BASE + this.id(token) * NUMBER_STEP
  }

  get(id: number): Token {
    const token = this.tokens[id]
    if (!token) throw new Error(`unknown placeholder ${id}`)
    return token
  }

  /** The token of the digits of a number placeholder (NUMBER_TOKEN's group). */
  numberToken(digits: string | number): Token {
    const offset = Number(digits)
    const token = offset % NUMBER_STEP === 0 ? this.tokens[offset / NUMBER_STEP] : undefined
    if (!token) {
      throw new EmitterError(
        `the number ${NUMBER_BASE + offset} is a configured number changed by arithmetic`,
        FIXES.arithmetic,
      )
    }
    return token
  }

  /** The token a whole string or number stands for, if it is exactly one placeholder. */
  whole(value: unknown): Token | undefined {
    if (typeof value === 'number') {
      return value >= NUMBER_BASE && value < NUMBER_BASE + NUMBER_SPAN
        ? this.numberToken(value - NUMBER_BASE)
        : undefined
    }
    if (typeof value !== 'string') return undefined
    const match = /^x0h(\d+)x$/.exec(value)
    return match ? this.get(Number(match[1])) : undefined
  }
}
