// Renders one component under the choices it reads, as decision trees. Every combination
// when that stays within a budget (components that return early read few choices). Beyond
// it — the API reads enough for hundreds of thousands of combinations — choices are explored
// one group (top-level values key) at a time, every other group at a baseline: a tree per
// group and baseline. That is exact when each field of the output depends on one group, or
// on one group inside an object whose existence other groups decide — the structure of these
// constructs. verifyComponent() then checks the merged templates against renders of random
// combinations of all choices, so a dependency that breaks the assumption fails generation.
import type { KubeObject } from '../render/kube-object.ts'
import type { CrossFieldRule } from '../schema/rules.ts'
import { DONT_CARE, leaf, type Tree } from './decision-tree.ts'
import type { Path, SchemaNode } from './schema-model.ts'
import {
  type Assignment,
  BASELINES,
  type Baseline,
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
  /** Per group of choices, one decision tree per baseline of the other groups. */
  groups: { group: string; slices: Variants[] }[]
  renders: number
}

export class ComponentExplorer {
  private readonly render: ComponentRender
  private readonly config: SentinelConfig
  private readonly tokens: TokenRegistry
  private readonly rules: LocatedRule[]
  /** helm.sh/chart of the chart's objects. */
  private readonly chartLabel: string
  renders = 0

  constructor(
    render: ComponentRender,
    config: SentinelConfig,
    schema: SchemaNode,
    tokens: TokenRegistry,
    chartLabel: string,
  ) {
    this.render = render
    this.config = config
    this.tokens = tokens
    this.rules = structuralRules(schema)
    this.chartLabel = chartLabel
  }

  /** Renders under the assignment (unassigned choices at the baseline's values). */
  renderWith(
    assignment: Assignment,
    baseline: Baseline = 0,
  ): { rendered: Rendered; reads: Choice[] } {
    const log = new ReadLog()
    const context = templateContext(this.tokens, 'Helm', this.chartLabel)
    this.renders += 1
    const objects = this.render(this.config.build(assignment, log, baseline), context)
    return { rendered: { objects, hashed: context.hashed }, reads: log.order }
  }

  /**
   * Every combination of the choices the component reads, when that stays within the
   * budget (components that return early — no backup, no cert-manager — read few);
   * otherwise group by group.
   */
  explore(): Exploration {
    const started = this.renders
    try {
      const tree = this.visit(new Map(), undefined, 0, new Set(), started + PRODUCT_BUDGET)
      return { groups: [{ group: '*', slices: [tree] }], renders: this.renders }
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error
    }
    return this.exploreByGroup()
  }

  private exploreByGroup(): Exploration {
    const groups: { group: string; slices: Variants[] }[] = []
    const pending = BASELINES.flatMap((baseline) =>
      groupsIn(this.renderWith(new Map(), baseline).reads),
    )
    const done = new Set<string>()
    while (pending.length) {
      const group = pending.shift() as string
      if (done.has(group)) continue
      done.add(group)
      const discovered = new Set<string>()
      const slices = BASELINES.map((baseline) =>
        this.visit(new Map(), group, baseline, discovered, Number.POSITIVE_INFINITY),
      )
      groups.push({ group, slices })
      for (const other of discovered) if (!done.has(other)) pending.push(other)
    }
    return { groups, renders: this.renders }
  }

  /** Branches on the choices of `group` (all choices when undefined) as they are read. */
  private visit(
    assignment: Map<string, ChoiceValue>,
    group: string | undefined,
    baseline: Baseline,
    discovered: Set<string>,
    budget: number,
  ): Variants {
    if (this.renders >= budget) throw new BudgetExceeded()
    const { rendered, reads } = this.renderWith(assignment, baseline)
    for (const choice of reads) discovered.add(groupOf(choice))
    const next = reads.find(
      (choice) => (group === undefined || groupOf(choice) === group) && !assignment.has(choice.id),
    )
    if (!next) return this.violatesRule(assignment, baseline) ? leaf(DONT_CARE) : leaf(rendered)
    return {
      kind: 'split',
      choice: next,
      branches: next.values.map((value) => ({
        value,
        tree: this.visit(
          new Map([...assignment, [next.id, value]]),
          group,
          baseline,
          discovered,
          budget,
        ),
      })),
    }
  }

  /**
   * A rule is broken when it fails and the assignment fixes every choice it read: choices the
   * component never read can always be set so that the rule holds.
   */
  violatesRule(assignment: Assignment, baseline: Baseline = 0): boolean {
    return this.rules.some(({ path, rule }) => {
      const log = new ReadLog()
      let value = this.config.build(assignment, log, baseline) as
        | Record<string, unknown>
        | undefined
      for (const key of path) value = value?.[key] as Record<string, unknown> | undefined
      if (value === undefined || rule.check(value as never)) return false
      return log.order.every((choice) => assignment.has(choice.id))
    })
  }
}

/** Renders a component may spend on the full product of its choices. */
const PRODUCT_BUDGET = 2000

class BudgetExceeded extends Error {}

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
