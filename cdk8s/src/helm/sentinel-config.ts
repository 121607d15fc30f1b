// A stand-in for real configuration: every free value is a placeholder token, and every
// choice (optional field present or not, which member of an exclusive group, enum value,
// boolean) is fixed by an assignment. Reads of choices are recorded, so the generator
// learns which choices a component depends on.
import type { Path, Property, SchemaNode } from './schema-model.ts'
import type { TokenRegistry } from './tokens.ts'

export type ChoiceValue = string | boolean

export interface Choice {
  /** Stable id, e.g. `presence:database.managed.storageClassName`. */
  id: string
  kind: 'presence' | 'exclusive' | 'enum' | 'boolean'
  /** The optional field or enum/boolean field; for `exclusive`, the object holding the group. */
  path: Path
  values: readonly ChoiceValue[]
  /** The value of an unassigned choice, per baseline (see BASELINES). */
  baselines: readonly [ChoiceValue, ChoiceValue]
}

/**
 * Two baselines: everything optional present and every switch on (enums at their default),
 * and everything optional absent and every switch off (enums at another value). An object
 * that one choice hides (the Ingress when a Gateway is set) or that a switch adds (a TLS
 * sidecar) exists in one of them, so other groups' effects on it show.
 */
export const BASELINES = [0, 1] as const
export type Baseline = (typeof BASELINES)[number]

function alternatives(
  values: readonly ChoiceValue[],
  preferred: ChoiceValue,
): [ChoiceValue, ChoiceValue] {
  const other = values.find((value) => value !== preferred) ?? preferred
  return [preferred, other]
}

export type Assignment = ReadonlyMap<string, ChoiceValue>

/** Records which choices were read, in first-read order. */
export class ReadLog {
  readonly order: Choice[] = []
  private readonly seen = new Set<string>()

  record(choice: Choice): void {
    if (!this.seen.has(choice.id)) {
      this.seen.add(choice.id)
      this.order.push(choice)
    }
  }
}

type ObjectNode = Extract<SchemaNode, { kind: 'object' }>

export class SentinelConfig {
  private readonly root: SchemaNode
  private readonly tokens: TokenRegistry

  constructor(root: SchemaNode, tokens: TokenRegistry) {
    this.root = root
    this.tokens = tokens
  }

  /** The configuration under `assignment`; unassigned choices take the baseline's value. */
  build(assignment: Assignment, log: ReadLog, baseline: Baseline = 0): unknown {
    return this.node(this.root, [], assignment, log, baseline)
  }

  /** Every choice in the schema: verification draws random combinations of them. */
  choicesOf(node: SchemaNode = this.root, path: Path = []): Choice[] {
    if (node.kind !== 'object') return []
    const choices: Choice[] = []
    if (node.exclusive) choices.push(exclusiveChoice(node, path))
    for (const [key, property] of node.properties) {
      const childPath = [...path, key]
      const own = propertyChoice(node, key, property, path)
      if (own && own.kind !== 'exclusive') choices.push(own)
      choices.push(...this.choicesOf(property.node, childPath))
    }
    return choices
  }

  private node(
    node: SchemaNode,
    path: Path,
    assignment: Assignment,
    log: ReadLog,
    baseline: Baseline,
  ): unknown {
    switch (node.kind) {
      case 'object':
        return this.object(node, path, assignment, log, baseline)
      case 'list':
        return [this.tokens.string({ kind: 'list', path })]
      case 'record': {
        const token = this.tokens.string({ kind: 'map', path })
        return { [token]: token }
      }
      case 'string':
        return this.tokens.string({ kind: 'value', path, number: false })
      case 'number':
        return this.tokens.number({ kind: 'value', path, number: true, integer: node.integer })
      case 'enum':
      case 'boolean':
        // Leaf choices are resolved by the owning object, which logs the read.
        throw new Error(`unexpected leaf choice at ${path.join('.')}`)
    }
  }

  private object(
    node: ObjectNode,
    path: Path,
    assignment: Assignment,
    log: ReadLog,
    baseline: Baseline,
  ): object {
    const target: Record<string, unknown> = {}
    const choiceOf = new Map<string, Choice>()
    for (const [key, property] of node.properties) {
      const choice = propertyChoice(node, key, property, path)
      if (choice) choiceOf.set(key, choice)
      const value = choice ? (assignment.get(choice.id) ?? choice.baselines[baseline]) : true
      if (choice?.kind === 'enum' || choice?.kind === 'boolean') target[key] = value
      else if (choice?.kind === 'exclusive' ? value === key : value) {
        target[key] = this.node(property.node, [...path, key], assignment, log, baseline)
      }
    }
    const touch = (key: string | symbol) => {
      const choice = typeof key === 'string' ? choiceOf.get(key) : undefined
      if (choice) log.record(choice)
    }
    return new Proxy(target, {
      get(object, key, receiver) {
        touch(key)
        return Reflect.get(object, key, receiver)
      },
      has(object, key) {
        touch(key)
        return Reflect.has(object, key)
      },
      ownKeys(object) {
        for (const key of choiceOf.keys()) touch(key)
        return Reflect.ownKeys(object)
      },
      getOwnPropertyDescriptor(object, key) {
        touch(key)
        return Reflect.getOwnPropertyDescriptor(object, key)
      },
      set() {
        throw new Error('configuration is read-only')
      },
    })
  }
}

function propertyChoice(
  node: ObjectNode,
  key: string,
  property: Property,
  path: Path,
): Choice | undefined {
  if (node.exclusive?.includes(key)) return exclusiveChoice(node, path)
  const childPath = [...path, key]
  const id = childPath.join('.')
  const leafChoice = property.node.kind === 'enum' || property.node.kind === 'boolean'
  if (leafChoice && !property.required) {
    throw new Error(`${id}: give optional enums and booleans a default`)
  }
  if (property.node.kind === 'enum') {
    return {
      id: `enum:${id}`,
      kind: 'enum',
      path: childPath,
      values: property.node.values,
      baselines: alternatives(
        property.node.values,
        property.node.default ?? (property.node.values[0] as string),
      ),
    }
  }
  if (property.node.kind === 'boolean') {
    return {
      id: `boolean:${id}`,
      kind: 'boolean',
      path: childPath,
      values: [true, false],
      baselines: [true, false],
    }
  }
  if (!property.required) {
    // Present by default: the baseline then has every object that can exist, so that the
    // other groups' effects on them are explored.
    return {
      id: `presence:${id}`,
      kind: 'presence',
      path: childPath,
      values: [true, false],
      baselines: [true, false],
    }
  }
  return undefined
}

function exclusiveChoice(node: ObjectNode, path: Path): Choice {
  const members = node.exclusive as readonly string[]
  return {
    id: `exclusive:${path.join('.')}`,
    kind: 'exclusive',
    path,
    values: members,
    baselines: alternatives(members, members[0] as string),
  }
}
