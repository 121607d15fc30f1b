// The chart's view of the values schema: values.schema.json (what helm validates), the
// `<chart>.config` helper that applies the schema's defaults exactly as zod does (so every
// template sees the same configuration the constructs see), and a documented values.yaml.
import { stringify } from 'yaml'
import { z } from 'zod'
import { PRESERVE_UNKNOWN_KEY } from '../schema/common.ts'
import { type GlobalBinding, globalsTemplate } from '../schema/derived.ts'
import {
  DERIVED_KEY,
  derivedDefaultByDescription,
  EXCLUSIVE_KEY,
  exclusiveMessage,
  FORBIDDEN_KEYS_KEY,
  RULES_KEY,
  ruleByMessage,
  TRANSITION_RULES_KEY,
} from '../schema/rules.ts'

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>
  required?: string[]
  default?: unknown
  description?: string
  type?: unknown
  items?: JsonSchema
}

export function inputSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as JsonSchema
}

/** values.schema.json: JSON Schema 2020-12, with the helpdesk metadata turned into keywords. */
export function valuesJsonSchema(schema: z.ZodType, title: string): JsonSchema {
  const converted = convertForHelm(inputSchema(schema))
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    ...withoutKey(converted, '$schema'),
  }
}

function convertForHelm(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === EXCLUSIVE_KEY) Object.assign(out, exclusiveKeywords(node, value as string[]))
    else if (key === FORBIDDEN_KEYS_KEY) {
      const { pattern } = value as { pattern: string }
      out.propertyNames = { not: { pattern: caseInsensitive(pattern) } }
    } else if (
      key === RULES_KEY ||
      key === DERIVED_KEY ||
      key === PRESERVE_UNKNOWN_KEY ||
      key === TRANSITION_RULES_KEY
    ) {
      // Cross-field rules and derived defaults cannot be said in JSON Schema: the config
      // helper checks and fills them. Unknown fields are the CRD's concern.
    } else if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, child]) => [
          name,
          convertForHelm(child),
        ]),
      )
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = (typeof value === 'object' ? convertForHelm(value as JsonSchema) : value) as never
    } else if (key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as JsonSchema[]).map(convertForHelm)
    } else {
      out[key] = value
    }
  }
  return out
}

// When the group's keys are all the object has, "exactly one key" reads clearest as
// minProperties/maxProperties; helm then reports "got 2, want 1" at the object's path.
function exclusiveKeywords(node: JsonSchema, keys: string[]): JsonSchema {
  const all = Object.keys(node.properties ?? {})
  if (all.length === keys.length) {
    return { minProperties: 1, maxProperties: 1, description: exclusiveMessage(keys) }
  }
  return { oneOf: keys.map((key) => ({ required: [key] })) }
}

function caseInsensitive(pattern: string): string {
  return [...pattern]
    .map((char) => (/[a-z]/i.test(char) ? `[${char.toUpperCase()}${char.toLowerCase()}]` : char))
    .join('')
}

function withoutKey(node: JsonSchema, key: string): JsonSchema {
  const { [key]: _removed, ...rest } = node
  return rest
}

/**
 * The `<prefix>.config` named template: .Values with the schema's defaults applied and its
 * cross-field rules checked, as JSON. Straight-line code generated from the schema.
 */
export function configHelper(
  schema: z.ZodType,
  prefix: string,
  instanceCheck: string,
  globals?: GlobalBinding,
): string {
  const derived: string[] = []
  const lines = [
    `{{- define "${prefix}.config" -}}`,
    instanceCheck,
    '{{- $root := deepCopy .Values -}}',
    ...defaultsFor(inputSchema(schema), '$root', [], derived),
    // Derived defaults read other values, so they come after every default.
    ...derived,
    ...(globals ? globalsTemplate(globals) : []),
    '{{- toJson $root -}}',
    '{{- end -}}',
  ]
  return `${lines.join('\n')}\n`
}

/**
 * Default-setting lines for the object at `expression`; derived defaults are collected in
 * `derived`, each guarded by the existence of its parent (they run after all defaults).
 */
function defaultsFor(
  node: JsonSchema,
  expression: string,
  path: string[],
  derived: string[],
): string[] {
  const lines: string[] = []
  const required = new Set(node.required ?? [])
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childExpression = `${expression}.${key}`
    const description = child[DERIVED_KEY] as string | undefined
    if (description !== undefined) {
      const rule = derivedDefaultByDescription(description)
      if (!rule) {
        throw new Error(`derived default "${description}" was not declared with derivedDefault()`)
      }
      const parents = path.map(
        (_key, index) =>
          `(hasKey ${['$root', ...path.slice(0, index)].join('.')} ${JSON.stringify(path[index])})`,
      )
      const exists = parents.length ? `and ${parents.join(' ')}` : 'true'
      derived.push(
        `{{- if ${exists} }}{{- if not (hasKey ${expression} ${JSON.stringify(key)}) }}{{- $_ := set ${expression} ${JSON.stringify(key)} (${rule.helm}) }}{{- end }}{{- end }}`,
      )
    }
    if (child.default !== undefined) {
      lines.push(
        `{{- if not (hasKey ${expression} ${JSON.stringify(key)}) }}{{- $_ := set ${expression} ${JSON.stringify(key)} ${goLiteral(child.default)} }}{{- end }}`,
      )
    }
    if (child.properties) {
      const nested = defaultsFor(child, childExpression, [...path, key], derived)
      if (nested.length === 0) continue
      if (child.default !== undefined || required.has(key)) lines.push(...nested)
      else
        lines.push(`{{- if hasKey ${expression} ${JSON.stringify(key)} }}`, ...nested, '{{- end }}')
    }
  }
  for (const { message } of (node[RULES_KEY] as { message: string }[] | undefined) ?? []) {
    const rule = ruleByMessage(message)
    if (!rule) throw new Error(`rule "${message}" was not declared with withRules()`)
    lines.push(
      `{{- $v := ${expression} }}{{- if not (${rule.helm}) }}{{- fail ${JSON.stringify(path.length ? `${path.join('.')}: ${message}` : message)} }}{{- end }}`,
    )
  }
  return lines
}

/** A Go template expression building the JSON value. */
export function goLiteral(value: unknown): string {
  if (value === null) return 'nil'
  if (Array.isArray(value))
    return value.length ? `(list ${value.map(goLiteral).join(' ')})` : '(list)'
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    return entries.length
      ? `(dict ${entries.map(([key, item]) => `${JSON.stringify(key)} ${goLiteral(item)}`).join(' ')})`
      : '(dict)'
  }
  return JSON.stringify(value)
}

/**
 * values.yaml: every default, each key with its description as a comment. Optional parts
 * (and exclusive choices) are shown commented out, so that merely having the file does not
 * switch them on.
 */
export function documentedValues(schema: z.ZodType, header: string): string {
  const root = inputSchema(schema)
  const lines = header.split('\n').map((line) => `# ${line}`.trimEnd())
  lines.push('', ...documentObject(root, 0, false).lines)
  return `${lines.join('\n')}\n`
}

function documentObject(
  node: JsonSchema,
  indent: number,
  commented: boolean,
): { lines: string[]; visible: boolean } {
  const lines: string[] = []
  let visible = false
  const exclusive = (node[EXCLUSIVE_KEY] as string[] | undefined)?.length ?? 0
  const pad = ' '.repeat(indent)
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const hidden = commented || child.default === undefined || exclusive > 0
    if (indent === 0 && lines.length) lines.push('')
    lines.push(...describe(child).map((text) => `${pad}# ${text}`))
    if (child.properties && Object.keys(child.properties).length > 0) {
      const inner = documentObject(child, indent + 2, hidden)
      const note =
        child[EXCLUSIVE_KEY] && child.default ? `  # default: ${JSON.stringify(child.default)}` : ''
      lines.push(`${pad}${inner.visible ? '' : '# '}${key}:${note}`, ...inner.lines)
      visible ||= inner.visible
    } else {
      const value = child.default !== undefined ? child.default : placeholder(child)
      lines.push(`${pad}${hidden ? '# ' : ''}${key}: ${inlineYaml(value)}`)
      visible ||= !hidden
    }
  }
  return { lines, visible }
}

function describe(node: JsonSchema): string[] {
  const text = node.description ?? (node.items?.description as string | undefined)
  const words = text ? [text] : []
  const allowed = Array.isArray(node.enum) ? [`One of: ${(node.enum as string[]).join(', ')}.`] : []
  const derived = node[DERIVED_KEY] as string | undefined
  return [...words, ...allowed, ...(derived ? [`Default: ${derived}.`] : [])]
}

function placeholder(node: JsonSchema): unknown {
  if (node.type === 'array') return []
  if (node.type === 'object') return {}
  if (node.type === 'boolean') return false
  if (node.type === 'integer' || node.type === 'number') return 0
  return ''
}

function inlineYaml(value: unknown): string {
  // One line, however long: a folded flow collection would break values.yaml's indentation.
  return stringify(value, { flow: true, version: '1.1', lineWidth: 0 }).trim()
}

/** Longest default written into the README's table; longer ones are in values.yaml. */
const TABLE_DEFAULT_LENGTH = 60

/**
 * The README's values table (helm-docs style): every leaf key with its type, default and
 * description, generated from the schema so that it never drifts from values.yaml.
 */
export function valuesTable(schema: z.ZodType): string {
  const rows: string[] = []
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')
  const visit = (node: JsonSchema, path: string[]) => {
    const properties = node.properties ?? {}
    const leaf = Object.keys(properties).length === 0
    if (leaf && path.length > 0) {
      const value = node.default === undefined ? '' : JSON.stringify(node.default)
      const shown =
        value.length > TABLE_DEFAULT_LENGTH ? 'see values.yaml' : value ? `\`${value}\`` : ''
      rows.push(
        `| \`${path.join('.')}\` | ${typeName(node)} | ${cell(shown)} | ${cell(describe(node).join(' '))} |`,
      )
      return
    }
    for (const [key, child] of Object.entries(properties)) visit(child, [...path, key])
  }
  visit(inputSchema(schema), [])
  return ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

function typeName(node: JsonSchema): string {
  if (Array.isArray(node.anyOf)) {
    return (node.anyOf as JsonSchema[]).map(typeName).join(' or ')
  }
  if (node.type === 'array') return 'list'
  if (node.type === 'object') return 'map'
  return typeof node.type === 'string' ? node.type : 'any'
}
