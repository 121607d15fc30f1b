// A decision tree over configuration choices: each inner node splits on one choice, each leaf
// holds what the constructs produced under the choices on its path.
import { isDeepStrictEqual } from 'node:util'
import type { Choice, ChoiceValue } from './sentinel-config.ts'

/** The field does not exist under these choices. */
export const ABSENT: unique symbol = Symbol('absent')
/** These choices never reach this point (the field's parent is absent, or they are invalid). */
export const DONT_CARE: unique symbol = Symbol('dont-care')

export type Marker = typeof ABSENT | typeof DONT_CARE

export type Tree<T> =
  | { kind: 'leaf'; value: T }
  | { kind: 'split'; choice: Choice; branches: { value: ChoiceValue; tree: Tree<T> }[] }

export function leaf<T>(value: T): Tree<T> {
  return { kind: 'leaf', value }
}

export function mapTree<T, U>(tree: Tree<T>, f: (value: T) => U): Tree<U> {
  if (tree.kind === 'leaf') return leaf(f(tree.value))
  return {
    kind: 'split',
    choice: tree.choice,
    branches: tree.branches.map(({ value, tree: child }) => ({ value, tree: mapTree(child, f) })),
  }
}

export function leaves<T>(tree: Tree<T>): T[] {
  if (tree.kind === 'leaf') return [tree.value]
  return tree.branches.flatMap(({ tree: child }) => leaves(child))
}

export function treesEqual<T>(a: Tree<T>, b: Tree<T>): boolean {
  if (a.kind === 'leaf' || b.kind === 'leaf') {
    return a.kind === 'leaf' && b.kind === 'leaf' && isDeepStrictEqual(a.value, b.value)
  }
  return (
    a.choice.id === b.choice.id &&
    a.branches.length === b.branches.length &&
    a.branches.every(
      (branch, index) =>
        branch.value === b.branches[index]?.value &&
        treesEqual(branch.tree, b.branches[index]?.tree as Tree<T>),
    )
  )
}

/**
 * Removes splits that do not matter: when every branch that can be reached yields the same
 * subtree, the split collapses to it. DONT_CARE branches agree with anything.
 */
export function simplify<T>(tree: Tree<T | typeof DONT_CARE>): Tree<T | typeof DONT_CARE> {
  if (tree.kind === 'leaf') return tree
  const branches = tree.branches.map(({ value, tree: child }) => ({ value, tree: simplify(child) }))
  const reachable = branches.filter(({ tree: child }) => !isDontCare(child))
  const first = reachable[0]
  if (!first) return leaf(DONT_CARE)
  if (reachable.every(({ tree: child }) => treesEqual(child, first.tree))) return first.tree
  return { kind: 'split', choice: tree.choice, branches }
}

export function isDontCare<T>(tree: Tree<T | typeof DONT_CARE>): boolean {
  return tree.kind === 'leaf' && tree.value === DONT_CARE
}
