// Renders one component under the choices it reads. The full product of choices is far too
// large (hundreds of thousands of renders for the API alone), so choices are explored one
// group (top-level values key) at a time, every other group at its baseline: a decision tree
// per group. That is exact when each field of the output depends on one group, or on one group
// inside an object whose existence another group decides — the structure of these constructs.
// verifyComponent() then checks the merged templates against renders of random combinations
// of all choices, so a dependency that breaks the assumption fails generation loudly.
import type { KubeObject } from '../render/kube-object.ts'
import type { CrossFieldRule } from '../spec/rules.ts'
import { DONT_CARE, leaf, type Tree } from './decision-tree.ts'
import type { Path, SchemaNode } from './schema-model.ts'
import {
  type Assignment,
  type Choice,
  type ChoiceValue,
  ReadLog,
  type SentinelConfig,
} from './sentinel-config.ts'
import { type TemplateContext, templateContext } from './template-context.ts'
import type { TokenRegistry } from './tokens.ts'

export interface Rendered {
  objects: KubeObject[]
  hashed: Map<string, Record<string, unknown>>
}

export type ComponentRender = (values: unknown, context: TemplateContext) => KubeObject[]

export type Variants = Tree<Rendered | typeof DONT_CARE>

export interface Exploration {
  /** One decision tree per group of choices, the others held at their baseline. */
  groups: { group: string; tree: Variants }[]
  renders: number
}

export class ComponentExplorer {
  private readonly render: ComponentRender
  private readonly config: SentinelConfig
  private readonly tokens: TokenRegistry
  private readonly rules: LocatedRule[]
  renders = 0

  constructor(
    render: ComponentRender,
    config: SentinelConfig,
    schema: SchemaNode,
    tokens: TokenRegistry,
  ) {
    this.render = render
    this.config = config
    this.tokens = tokens
    this.rules = structuralRules(schema)
  }

  /** Renders under the assignment (unassigned choices at their baseline). */
  renderWith(assignment: Assignment): { rendered: Rendered; reads: Choice[] } {
    const log = new ReadLog()
    const context = templateContext(this.tokens, 'Helm')
    this.renders += 1
    const objects = this.render(this.config.build(assignment, log), context)
    return { rendered: { objects, hashed: context.hashed }, reads: log.order }
  }

  explore(): Exploration {
    const groups: { group: string; tree: Variants }[] = []
    const pending = groupsIn(this.renderWith(new Map()).reads)
    const done = new Set<string>()
    while (pending.length) {
      const group = pending.shift() as string
      if (done.has(group)) continue
      done.add(group)
      const discovered = new Set<string>()
      const tree = this.visit(new Map(), group, discovered)
      groups.push({ group, tree })
      for (const other of discovered) if (!done.has(other)) pending.push(other)
    }
    return { groups, renders: this.renders }
  }

  private visit(
    assignment: Map<string, ChoiceValue>,
    group: string,
    discovered: Set<string>,
  ): Variants {
    const { rendered, reads } = this.renderWith(assignment)
    for (const choice of reads) discovered.add(groupOf(choice))
    const next = reads.find((choice) => groupOf(choice) === group && !assignment.has(choice.id))
    if (!next) return this.violatesRule(assignment) ? leaf(DONT_CARE) : leaf(rendered)
    return {
      kind: 'split',
      choice: next,
      branches: next.values.map((value) => ({
        value,
        tree: this.visit(new Map([...assignment, [next.id, value]]), group, discovered),
      })),
    }
  }

  /** A rule is broken when it fails, counting unassigned choices at their baseline. */
  violatesRule(assignment: Assignment): boolean {
    return this.rules.some(({ path, rule }) => {
      let value = this.config.build(assignment, new ReadLog()) as
        | Record<string, unknown>
        | undefined
      for (const key of path) value = value?.[key] as Record<string, unknown> | undefined
      return value !== undefined && !rule.check(value as never)
    })
  }
}

export function groupOf(choice: Choice): string {
  return choice.path[0] ?? ''
}

function groupsIn(reads: Choice[]): string[] {
  return [...new Set(reads.map(groupOf))]
}

interface LocatedRule {
  path: Path
  rule: CrossFieldRule
}

function structuralRules(node: SchemaNode, path: Path = []): LocatedRule[] {
  if (node.kind !== 'object') return []
  return [
    ...node.rules.filter((rule) => rule.structural).map((rule) => ({ path, rule })),
    ...[...node.properties].flatMap(([key, property]) =>
      structuralRules(property.node, [...path, key]),
    ),
  ]
}
