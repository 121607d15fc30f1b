// Errors of the chart generator that a construct author can act on: each says what the
// construct did that the generator cannot turn into a template, and how to write it instead
// (README.md "Rules for construct authors"). The generator adds the chart, the object, the
// construct path and the field.
export class EmitterError extends Error {
  readonly problem: string
  readonly fix: string
  /** A JSON pointer inside the object, when known. */
  readonly field: string | undefined

  constructor(problem: string, fix: string, field?: string) {
    super(`${problem}${field ? ` (at ${field})` : ''}\n  Fix: ${fix}`)
    this.name = 'EmitterError'
    this.problem = problem
    this.fix = fix
    this.field = field
  }
}

export const FIXES = {
  arithmetic:
    'configured values are opaque placeholders while the chart is generated: compute with them in the schema (a derived default, schema/derived.ts) or pass them through unchanged',
  cutString:
    'configured strings are placeholders: embed them whole in a template string (`<value>-suffix` as a template literal), never slice, split or change their case',
  listInString: 'join a configured list with context.joinList(list, separator)',
  keyFromValue:
    'a configured string cannot be a map key: spread a configured map ({ ...values.labels }) or use a fixed key',
  interaction:
    'make the field depend on one top-level values group: move the choice into that group, derive it there (schema/derived.ts), or split the field in two',
  reorderedList:
    'give the list items unique `name`s (they then merge item by item), or keep their order the same under every choice',
  templateKey:
    'name the values key in camelCase and map it to the Kubernetes field name in the construct',
} as const
