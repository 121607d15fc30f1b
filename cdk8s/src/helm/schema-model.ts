// The shape of a values schema as the chart generator needs it, read from the JSON Schema
// that zod produces: which fields are scalars, which are lists or maps, and which choices
// (optional fields, exclusive groups, enums, booleans) change the rendered objects' shape.
import { z } from 'zod'
import {
  type CrossFieldRule,
  DERIVED_KEY,
  EXCLUSIVE_KEY,
  RULES_KEY,
  ruleByMessage,
} from '../schema/rules.ts'

export type Path = readonly string[]

export type SchemaNode =
  | {
      kind: 'object'
      properties: Map<string, Property>
      exclusive?: readonly string[]
      rules: CrossFieldRule[]
    }
  | { kind: 'record' }
  | { kind: 'list' }
  | { kind: 'enum'; values: readonly string[]; default?: string }
  | { kind: 'boolean'; default?: boolean }
  | { kind: 'string' }
  | { kind: 'number'; integer: boolean }

export interface Property {
  node: SchemaNode
  /** Present after parsing whatever the user wrote (it has a default, or is required). */
  required: boolean
}

type JsonSchema = Record<string, unknown>

/** The output-side model of a zod object schema (defaulted fields are always present). */
export function schemaModel(schema: z.ZodType): SchemaNode {
  const output = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw' }) as JsonSchema
  const input = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as JsonSchema
  return toNode(output, input)
}

function toNode(output: JsonSchema, input: JsonSchema | undefined): SchemaNode {
  const type = output.type
  if (Array.isArray(output.anyOf) || Array.isArray(type)) return { kind: 'string' }
  if (type === 'object' && output.properties) return objectNode(output, input)
  if (type === 'object') return { kind: 'record' }
  if (type === 'array') return { kind: 'list' }
  if (type === 'boolean') return { kind: 'boolean', default: input?.default as boolean | undefined }
  if (type === 'string' && Array.isArray(output.enum)) {
    return {
      kind: 'enum',
      values: output.enum as string[],
      default: input?.default as string | undefined,
    }
  }
  if (type === 'string') return { kind: 'string' }
  if (type === 'integer' || type === 'number')
    return { kind: 'number', integer: type === 'integer' }
  throw new Error(`the chart generator cannot model schema ${JSON.stringify(output)}`)
}

function objectNode(output: JsonSchema, input: JsonSchema | undefined): SchemaNode {
  const required = new Set((output.required as string[] | undefined) ?? [])
  // A derived default is filled before any construct reads the field.
  for (const [key, child] of Object.entries(output.properties as Record<string, JsonSchema>)) {
    if (child[DERIVED_KEY] !== undefined) required.add(key)
  }
  const inputProperties = (input?.properties ?? {}) as Record<string, JsonSchema>
  const properties = new Map<string, Property>()
  for (const [key, child] of Object.entries(output.properties as Record<string, JsonSchema>)) {
    properties.set(key, {
      node: toNode(child, inputProperties[key]),
      required: required.has(key),
    })
  }
  const rules = ((output[RULES_KEY] as { message: string }[] | undefined) ?? []).map(
    ({ message }) => {
      const rule = ruleByMessage(message)
      if (!rule) throw new Error(`rule "${message}" was not declared with withRules()`)
      return rule
    },
  )
  return {
    kind: 'object',
    properties,
    exclusive: output[EXCLUSIVE_KEY] as string[] | undefined,
    rules,
  }
}
