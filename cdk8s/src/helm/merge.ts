// Folds the variants of one object into a single template: parts that never change stay
// plain; a field, list item or value that depends on choices is wrapped in the smallest
// decision the variants allow, as deep in the object as possible.
import { ABSENT, DONT_CARE, leaves, mapTree, simplify, type Tree } from './decision-tree.ts'
import { EmitterError, FIXES } from './errors.ts'

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

export type Template =
  | { t: 'const'; value: Json }
  | { t: 'map'; entries: [string, Template][] }
  | { t: 'list'; items: Template[] }
  /** A decision: each leaf is what to emit under those choices (ABSENT: nothing). */
  | { t: 'cond'; tree: Tree<Template | typeof ABSENT | typeof DONT_CARE> }

type Variant = Json | typeof ABSENT | typeof DONT_CARE

export function mergeVariants(tree: Tree<Variant>): Template {
  const simple = simplify(tree)
  if (simple.kind === 'leaf') {
    const only = simple.value
    if (only === ABSENT || only === DONT_CARE) {
      throw new Error('mergeVariants: nothing to merge (the object never exists)')
    }
    return { t: 'const', value: only }
  }
  const values = leaves(simple).filter(
    (value): value is Json | typeof ABSENT => value !== DONT_CARE,
  )
  if (values.includes(ABSENT)) return presence(simple)
  const present = values as Json[]
  if (present.every(isMap) && sameEmptiness(present, isEmptyMap)) return mergeMaps(simple, present)
  if (present.every(Array.isArray) && sameEmptiness(present, isEmptyList)) {
    return mergeLists(simple, present as Json[][])
  }
  return choose(simple)
}

/** A decision between whole values. */
function choose(tree: Tree<Variant>): Template {
  return { t: 'cond', tree: mapTree(tree, (value) => (isMarker(value) ? value : constant(value))) }
}

function uniqueKeys(maps: Json[]): string[] {
  return [...new Set(maps.flatMap((value) => Object.keys(value as object)))]
}

/**
 * The item slots of lists merged item by item, or undefined when their orders disagree (an
 * argument list, say): then the lists can only be chosen whole.
 */
function listSlots(lists: Json[][], identify: (item: Json) => string): string[] | undefined {
  const slots = unionInOrder(lists.map((list) => occurrenceKeys(list, identify)))
  return new Set(slots).size === slots.length ? slots : undefined
}

/** Present under some choices, absent under others: the condition, then the merged content. */
function presence(tree: Tree<Variant>): Template {
  const content = mergeVariants(mapTree(tree, absentAsDontCare))
  return {
    t: 'cond',
    tree: simplify(
      mapTree(tree, (value): Template | typeof ABSENT | typeof DONT_CARE =>
        isMarker(value) ? value : content,
      ),
    ),
  }
}

function mergeMaps(tree: Tree<Variant>, present: Json[]): Template {
  const keys = uniqueKeys(present)
  return {
    t: 'map',
    entries: keys.map((key) => [key, mergeVariants(mapTree(tree, fieldOf(key)))]),
  }
}

function mergeLists(tree: Tree<Variant>, present: Json[][]): Template {
  const identify = identityOf(present)
  const slots = listSlots(present, identify)
  if (!slots) return choose(tree)
  return {
    t: 'list',
    items: slots.map((slot) => mergeVariants(mapTree(tree, slotOf(slot, identify)))),
  }
}

/** A configured list spliced into a list (a placeholder, see tokens.ts). */
const isSplice = (item: Json) => typeof item === 'string' && /^x0h\d+x$/.test(item)

/**
 * How list items are matched across variants: by `name` when every item is an object with a
 * unique name (containers, env, volumes, ports) or a spliced configured list, otherwise by
 * their whole content.
 */
function identityOf(lists: Json[][]): (item: Json) => string {
  const named = lists.every((list) => {
    const names = list.map((item) =>
      isSplice(item)
        ? `splice:${item}`
        : isMap(item)
          ? (item as Record<string, Json>).name
          : undefined,
    )
    return names.every((name) => typeof name === 'string') && new Set(names).size === names.length
  })
  return named
    ? (item) =>
        isSplice(item)
          ? `splice:${item as string}`
          : `name:${(item as Record<string, Json>).name as string}`
    : (item) => JSON.stringify(item)
}

function occurrenceKeys(list: Json[], identify: (item: Json) => string): string[] {
  const seen = new Map<string, number>()
  return list.map((item) => {
    const key = identify(item)
    const count = (seen.get(key) ?? 0) + 1
    seen.set(key, count)
    return `${key}#${count}`
  })
}

/** A sequence containing every input sequence as a subsequence (merged pairwise by LCS). */
export function unionInOrder(sequences: string[][]): string[] {
  let merged: string[] = []
  for (const sequence of sequences) merged = mergeTwo(merged, sequence)
  return merged
}

function mergeTwo(a: string[], b: string[]): string[] {
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[]
      row[j] =
        a[i] === b[j]
          ? (lcs[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0)
    }
  }
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(a[i] as string)
      i++
      j++
    } else if (
      j >= b.length ||
      (i < a.length && (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))
    ) {
      out.push(a[i++] as string)
    } else {
      out.push(b[j++] as string)
    }
  }
  return out
}

/** Plain values become templates so that the emitter has one shape to walk. */
export function constant(value: Json): Template {
  return { t: 'const', value }
}

function isMarker(value: unknown): value is typeof ABSENT | typeof DONT_CARE {
  return value === ABSENT || value === DONT_CARE
}

function isMap(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

const isEmptyMap = (value: Json) => Object.keys(value as object).length === 0
const isEmptyList = (value: Json) => (value as Json[]).length === 0

// An empty map or list and a non-empty one are different shapes: merging them key by key
// could render `key:` with nothing under it (null) where the variant had {} or [].
function sameEmptiness(values: Json[], isEmpty: (value: Json) => boolean): boolean {
  return values.every((value) => isEmpty(value)) || values.every((value) => !isEmpty(value))
}

/**
 * Merges the variants of one field explored group by group (per group, one tree per baseline
 * of the other groups). For each group the slice in which the field exists is used; a field
 * that only one group changes takes that group's decisions; maps and lists are merged field
 * by field and item by item; when several groups decide whether the field exists, it exists
 * when all of them say so.
 */
export function mergeForest(forest: Tree<Variant>[][], field = ''): Template {
  const chosen = forest.map((slices) =>
    simplify(slices.find(hasPresent) ?? (slices[0] as Tree<Variant>)),
  )
  const varying = chosen.filter((tree) => tree.kind === 'split')
  if (varying.length === 0)
    return mergeVariants(chosen.find(hasPresent) ?? (chosen[0] as Tree<Variant>))
  if (varying.length === 1) return mergeVariants(varying[0] as Tree<Variant>)
  const sliced = (f: (value: Variant) => Variant) =>
    forest.map((slices) => slices.map((tree) => mapTree(tree, f)))
  const presenceTrees = varying.filter((tree) => leaves(tree).includes(ABSENT))
  if (presenceTrees.length) {
    const content = mergeForest(sliced(absentAsDontCare), field)
    return { t: 'cond', tree: presenceTrees.reduceRight(nestPresence, leafOf(content)) }
  }
  const values = varying
    .flatMap((tree) => leaves(tree))
    .filter((value) => value !== DONT_CARE) as Json[]
  if (values.every(isMap) && sameEmptiness(values, isEmptyMap)) {
    return {
      t: 'map',
      entries: uniqueKeys(values).map((key) => [
        key,
        mergeForest(sliced(fieldOf(key)), `${field}/${key}`),
      ]),
    }
  }
  if (values.every(Array.isArray) && sameEmptiness(values, isEmptyList)) {
    const lists = values as Json[][]
    const identify = identityOf(lists)
    const slots = listSlots(lists, identify)
    if (!slots) {
      throw new InteractionError(
        'the order of a list depends on choices of several top-level groups',
        FIXES.reorderedList,
        field,
      )
    }
    return {
      t: 'list',
      items: slots.map((slot, index) =>
        mergeForest(sliced(slotOf(slot, identify)), `${field}/${index}`),
      ),
    }
  }
  const groups = varying.map((tree) => (tree.kind === 'split' ? tree.choice.id : '')).join(', ')
  throw new InteractionError(
    `the value depends on choices of several top-level groups at once (${groups})`,
    FIXES.interaction,
    field,
  )
}

function hasPresent(tree: Tree<Variant>): boolean {
  return leaves(tree).some((value) => value !== ABSENT && value !== DONT_CARE)
}

export class InteractionError extends EmitterError {}

function absentAsDontCare(value: Variant): Variant {
  return value === ABSENT ? DONT_CARE : value
}

function fieldOf(key: string) {
  return (value: Variant): Variant => {
    if (isMarker(value)) return value
    const record = value as Record<string, Json>
    return key in record ? (record[key] as Json) : ABSENT
  }
}

function slotOf(slot: string, identify: (item: Json) => string) {
  return (value: Variant): Variant => {
    if (isMarker(value)) return value
    const list = value as Json[]
    const index = occurrenceKeys(list, identify).indexOf(slot)
    return index === -1 ? ABSENT : (list[index] as Json)
  }
}

type CondTree = Tree<Template | typeof ABSENT | typeof DONT_CARE>

function leafOf(template: Template): CondTree {
  return { kind: 'leaf', value: template }
}

/** `presence` with each present leaf replaced by `inner`: both must hold. */
function nestPresence(inner: CondTree, presence: Tree<Variant>): CondTree {
  return simplify(
    mapTreeToTree(presence, (value) =>
      value === ABSENT || value === DONT_CARE ? { kind: 'leaf', value } : inner,
    ),
  )
}

function mapTreeToTree<T, U>(tree: Tree<T>, f: (value: T) => Tree<U>): Tree<U> {
  if (tree.kind === 'leaf') return f(tree.value)
  return {
    kind: 'split',
    choice: tree.choice,
    branches: tree.branches.map(({ value, tree: child }) => ({
      value,
      tree: mapTreeToTree(child, f),
    })),
  }
}
