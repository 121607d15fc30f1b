// Constraints a plain JSON Schema cannot state. Each is written once here and carried in the
// zod schema's metadata, so that the zod check (TypeScript, the synth CLI), the CRD's CEL
// rule and the chart's template check all come from the same line.
import { z } from 'zod'

/** Metadata key: exactly one of these object keys must be set. */
export const EXCLUSIVE_KEY = 'x-helpdesk-exclusive'
/** Metadata key: extra rules, each as CEL (CRD), a Helm condition and one message. */
export const RULES_KEY = 'x-helpdesk-rules'
/** Metadata key: object keys matching this (case-insensitive) pattern are refused. */
export const FORBIDDEN_KEYS_KEY = 'x-helpdesk-forbidden-keys'

export interface CrossFieldRule {
  /** CEL over `self` (the object), for the CRD's x-kubernetes-validations. */
  cel: string
  /** A Go template condition over `$v` (the same object) that must hold, for the chart. */
  helm: string
  /** Shown by zod, the API server and helm alike. */
  message: string
  /** The same rule for TypeScript. */
  check: (value: never) => boolean
  /**
   * The rule reads only choices (optional fields, enums, booleans), never free values: the
   * chart generator then skips the combinations it forbids.
   */
  structural?: boolean
}

const registeredRules = new Map<string, CrossFieldRule>()

/** The rule whose message this is (messages are unique). */
export function ruleByMessage(message: string): CrossFieldRule | undefined {
  return registeredRules.get(message)
}

export function exclusiveMessage(keys: readonly string[]): string {
  return `set exactly one of ${keys.join(' or ')}`
}

/** A strict object of which exactly one of the (optional) `members` is set. */
export function exactlyOneOf<Members extends Record<string, z.ZodType>>(members: Members) {
  const keys = Object.keys(members)
  const shape = Object.fromEntries(
    Object.entries(members).map(([key, schema]) => [key, schema.optional()]),
  ) as { [K in keyof Members]: z.ZodOptional<Members[K]> }
  return z
    .strictObject(shape)
    .superRefine((value, ctx) => {
      const set = keys.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      if (set.length !== 1) {
        ctx.addIssue({ code: 'custom', message: exclusiveMessage(keys), input: value })
      }
    })
    .meta({ [EXCLUSIVE_KEY]: keys })
}

/** Attaches cross-field rules (see CrossFieldRule) to an object schema. */
export function withRules<T extends z.ZodType>(schema: T, rules: CrossFieldRule[]): T {
  for (const rule of rules) {
    const known = registeredRules.get(rule.message)
    if (known && known.cel !== rule.cel)
      throw new Error(`two rules share the message ${rule.message}`)
    registeredRules.set(rule.message, rule)
  }
  return schema
    .superRefine((value, ctx) => {
      for (const rule of rules) {
        if (!rule.check(value as never)) {
          ctx.addIssue({ code: 'custom', message: rule.message, input: value })
        }
      }
    })
    .meta({
      [RULES_KEY]: rules.map(({ cel, helm, message }) => ({ cel, helm, message })),
    }) as T
}

/** A string map whose keys must not contain `pattern` (case-insensitive). */
export function mapWithoutKeys(pattern: string, message: string) {
  const forbidden = new RegExp(pattern, 'i')
  return z
    .record(z.string(), z.string())
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (forbidden.test(key)) {
          ctx.addIssue({ code: 'custom', message: `${key}: ${message}`, input: value })
        }
      }
    })
    .meta({ [FORBIDDEN_KEYS_KEY]: { pattern, message } })
}

/** Metadata key: the field's default is computed from other values (see derivedDefault). */
export const DERIVED_KEY = 'x-helpdesk-derived-default'

export interface DerivedDefault {
  /** What the default is, for values.yaml and the README; also the rule's unique id. */
  description: string
  /** A Go template expression over `$root` (the values as the config helper defaults them). */
  helm: string
  /** The same over the parsed values. */
  compute: (root: never) => unknown
}

const registeredDerived = new Map<string, DerivedDefault>()

export function derivedDefaultByDescription(description: string): DerivedDefault | undefined {
  return registeredDerived.get(description)
}

/**
 * A field whose default depends on other values (TLS on when certificates can be had): the
 * schema leaves it optional, the chart's config helper and applyDerivedDefaults() fill it.
 * Keep the expression to values the config helper has by then or reads with a fallback.
 */
export function derivedDefault<T extends z.ZodType>(schema: T, rule: DerivedDefault) {
  const known = registeredDerived.get(rule.description)
  if (known && known.helm !== rule.helm)
    throw new Error(`two derived defaults share the description ${rule.description}`)
  registeredDerived.set(rule.description, rule)
  return schema.optional().meta({ [DERIVED_KEY]: rule.description })
}

/** Metadata key: CEL rules over a change (self and oldSelf), for the CRD only. */
export const TRANSITION_RULES_KEY = 'x-helpdesk-transition-rules'

export interface TransitionRule {
  /** CEL over `self` and `oldSelf`: must hold for an update to be admitted. */
  cel: string
  message: string
}

/**
 * Changes the operator cannot carry out (a volume never shrinks; data does not move between
 * a managed and an external store): the API server refuses them with the message instead of
 * the operator retrying an apply forever. A chart upgrade cannot see the old values, so
 * these are the CRD's alone.
 */
export function withTransitionRules<T extends z.ZodType>(schema: T, rules: TransitionRule[]): T {
  return schema.meta({ [TRANSITION_RULES_KEY]: rules }) as T
}
