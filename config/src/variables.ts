// Reading environment variables one at a time, so that one bad value still lets every other
// check run: whoever configures a process gets the whole list of problems in one go.
import { accessSync, constants, readFileSync } from 'node:fs'
import { z } from 'zod'

export type Environment = Record<string, string | undefined>

/** `NAME: what is wrong`, one per problem, in the order the checks ran. */
export type Problems = string[]

/** Trimmed text; empty or unset is undefined. */
export const text = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined))

export const flag = (fallback: boolean) =>
  text.transform((value, context) => {
    if (value === undefined) return fallback
    const lower = value.toLowerCase()
    if (['true', '1', 'yes'].includes(lower)) return true
    if (['false', '0', 'no'].includes(lower)) return false
    context.addIssue({ code: 'custom', message: 'must be true or false' })
    return z.NEVER
  })

export const integer = (fallback: number, min: number, max: number) =>
  text.transform((value, context) => {
    if (value === undefined) return fallback
    const parsed = Number(value)
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      context.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` })
      return z.NEVER
    }
    return parsed
  })

export const httpUrl = text.pipe(
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
)

/**
 * Parses each variable of `shape` on its own; a bad one is reported in `problems` and reads
 * as unset, so the checks across variables still run.
 */
export function readVariables<Shape extends z.ZodRawShape>(
  shape: Shape,
  environment: Environment,
  problems: Problems,
): { [Name in keyof Shape]: z.output<Shape[Name]> } {
  const values: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(shape)) {
    const result = (schema as z.ZodType).safeParse(environment[name])
    if (result.success) {
      values[name] = result.data
    } else {
      for (const issue of result.error.issues) {
        problems.push(`${[name, ...issue.path].join('.')}: ${issue.message}`)
      }
    }
  }
  return values as { [Name in keyof Shape]: z.output<Shape[Name]> }
}

/** The file's text, or a problem naming the variable when it cannot be read. */
export function readableFile(name: string, file: string, problems: Problems): string | undefined {
  try {
    accessSync(file, constants.R_OK)
    return readFileSync(file, 'utf8')
  } catch {
    problems.push(`${name}: cannot read ${file}`)
    return undefined
  }
}
