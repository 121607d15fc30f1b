// zod schema -> a CRD's structural openAPIV3Schema: OpenAPI 3.0 keywords only, unknown
// fields pruned by the API server (so no additionalProperties: false), and the helpdesk
// metadata turned into CEL rules (x-kubernetes-validations).
import { z } from 'zod'
import { PRESERVE_UNKNOWN_KEY } from './common.ts'
import {
  DERIVED_KEY,
  EXCLUSIVE_KEY,
  exclusiveMessage,
  FORBIDDEN_KEYS_KEY,
  RULES_KEY,
  TRANSITION_RULES_KEY,
} from './rules.ts'

export type JSONSchemaProps = { [keyword: string]: unknown }

/** Upper bound for CEL cost estimation on free-form maps. */
const MAX_MAP_ENTRIES = 64

export function crdSchema(schema: z.ZodType): JSONSchemaProps {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'openapi-3.0',
    unrepresentable: 'throw',
  })
  return structural(json as JSONSchemaProps)
}

function structural(node: JSONSchemaProps): JSONSchemaProps {
  const anyOf = node.anyOf as JSONSchemaProps[] | undefined
  if (anyOf && isIntOrString(anyOf)) return intOrString(node, anyOf)
  if (node[PRESERVE_UNKNOWN_KEY]) return preserved(node)
  if (node[DERIVED_KEY]) {
    throw new Error(`derived defaults are chart-only: "${node[DERIVED_KEY]}" reached a CRD`)
  }
  const out: JSONSchemaProps = {}
  const validations: { rule: string; message: string }[] = []
  for (const [keyword, value] of Object.entries(node)) {
    switch (keyword) {
      case '$schema':
      case 'propertyNames':
        break
      case 'additionalProperties':
        if (typeof value === 'object') {
          out.additionalProperties = structural(value as JSONSchemaProps)
          out.maxProperties ??= MAX_MAP_ENTRIES
        }
        break
      case 'properties':
        out.properties = Object.fromEntries(
          Object.entries(value as Record<string, JSONSchemaProps>).map(([name, child]) => [
            name,
            structural(child),
          ]),
        )
        break
      case 'items':
        out.items = structural(value as JSONSchemaProps)
        break
      case 'default':
        out.default = completeDefault(node, value)
        break
      case EXCLUSIVE_KEY: {
        const keys = value as string[]
        validations.push({
          rule: `${keys.map((key) => `(has(self.${key}) ? 1 : 0)`).join(' + ')} == 1`,
          message: exclusiveMessage(keys),
        })
        break
      }
      case RULES_KEY:
      case TRANSITION_RULES_KEY:
        for (const { cel, message } of value as { cel: string; message: string }[]) {
          validations.push({ rule: cel, message })
        }
        break
      case FORBIDDEN_KEYS_KEY: {
        const { pattern, message } = value as { pattern: string; message: string }
        validations.push({ rule: `self.all(key, !key.matches('(?i)${pattern}'))`, message })
        break
      }
      default:
        out[keyword] = value
    }
  }
  if (validations.length) out['x-kubernetes-validations'] = validations
  return out
}

/**
 * A Kubernetes type passed through (affinity, a volume): an object whose unknown fields the
 * API server keeps; the fields the schema names are still checked.
 */
function preserved(node: JSONSchemaProps): JSONSchemaProps {
  const {
    additionalProperties: _rest,
    propertyNames: _names,
    [PRESERVE_UNKNOWN_KEY]: _flag,
    ...known
  } = node
  const typed = structural(known)
  return { ...typed, type: 'object', [PRESERVE_UNKNOWN_KEY]: true }
}

function isIntOrString(anyOf: JSONSchemaProps[]): boolean {
  const types = anyOf.map((branch) => branch.type).sort()
  return anyOf.length === 2 && types[0] === 'integer' && types[1] === 'string'
}

/** Quantities: Kubernetes' int-or-string, with the string form's pattern kept. */
function intOrString(node: JSONSchemaProps, anyOf: JSONSchemaProps[]): JSONSchemaProps {
  const text = anyOf.find((branch) => branch.type === 'string') as JSONSchemaProps
  const { anyOf: _branches, ...rest } = node
  return {
    ...rest,
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    ...(text.pattern ? { pattern: text.pattern } : {}),
  }
}

/**
 * A default as the API server will store it: with the defaults of its fields filled in. The
 * API server checks CEL rules against the default value as written, so `{}` for an object
 * whose rules read its defaulted fields would be refused.
 */
function completeDefault(node: JSONSchemaProps, value: unknown): unknown {
  const properties = node.properties as Record<string, JSONSchemaProps> | undefined
  if (!properties || value === null || typeof value !== 'object' || Array.isArray(value))
    return value
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) }
  for (const [name, child] of Object.entries(properties)) {
    if (name in out) out[name] = completeDefault(child, out[name])
    else if (child.default !== undefined) out[name] = completeDefault(child, child.default)
  }
  return out
}
