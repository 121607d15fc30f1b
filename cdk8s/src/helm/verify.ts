// Checks merged templates against renders under random combinations of every choice: the
// templates, evaluated the way Helm will evaluate them, must give exactly the rendered objects.
import { isDeepStrictEqual } from 'node:util'
import { objectKey } from '../render/kube-object.ts'
import { ABSENT, DONT_CARE, type Tree } from './decision-tree.ts'
import { FIXES } from './errors.ts'
import type { ComponentExplorer } from './explore.ts'
import type { Json, Template } from './merge.ts'
import type { Assignment, Choice, ChoiceValue } from './sentinel-config.ts'

type Evaluated = Json | typeof ABSENT

export function evaluate(template: Template, assignment: Assignment): Evaluated {
  switch (template.t) {
    case 'const':
      return template.value
    case 'map': {
      const out: Record<string, Json> = {}
      for (const [key, child] of template.entries) {
        const value = evaluate(child, assignment)
        if (value !== ABSENT) out[key] = value
      }
      return out
    }
    case 'list':
      return template.items.map((item) => evaluate(item, assignment)).filter((v) => v !== ABSENT)
    case 'cond': {
      const chosen = decide(template.tree, assignment)
      if (chosen === DONT_CARE) throw new Error('a template decision reached an unreachable branch')
      return chosen === ABSENT ? ABSENT : evaluate(chosen, assignment)
    }
  }
}

function decide<T>(tree: Tree<T>, assignment: Assignment): T {
  if (tree.kind === 'leaf') return tree.value
  const value = assignment.get(tree.choice.id)
  const branch = tree.branches.find((candidate) => candidate.value === value)
  if (!branch) throw new Error(`no value for choice ${tree.choice.id}`)
  return decide(branch.tree, assignment)
}

export interface VerifyOptions {
  componentId: string
  explorer: ComponentExplorer
  objects: Map<string, Template>
  hashes: Map<string, Template>
  choices: Choice[]
  samples: number
  seed: number
  /** The construct that made each object, for the error message. */
  constructs?: Map<string, string>
}

export function verifyComponent(options: VerifyOptions): void {
  const random = mulberry32(options.seed)
  for (let sample = 0; sample < options.samples; sample++) {
    const assignment = new Map<string, ChoiceValue>(
      options.choices.map((choice) => [
        choice.id,
        choice.values[Math.floor(random() * choice.values.length)] as ChoiceValue,
      ]),
    )
    if (options.explorer.violatesRule(assignment)) continue
    const { rendered } = options.explorer.renderWith(assignment)
    const expected = new Map(rendered.objects.map((object) => [objectKey(object), object]))
    const actual = new Map<string, Evaluated>()
    for (const [key, template] of options.objects) {
      const value = evaluate(template, assignment)
      if (value !== ABSENT) actual.set(key, value)
    }
    const keys = new Set([...expected.keys(), ...actual.keys()])
    for (const key of keys) {
      const construct = options.constructs?.get(key)
      compare(
        options.componentId,
        construct ? `${key} (construct ${construct})` : key,
        expected.get(key) as Json | undefined,
        actual.get(key),
        assignment,
      )
    }
    for (const [id, content] of rendered.hashed) {
      const template = options.hashes.get(id)
      compare(
        options.componentId,
        `hash ${id}`,
        content as Json,
        template && evaluate(template, assignment),
        assignment,
      )
    }
  }
}

function compare(
  component: string,
  what: string,
  expected: Json | undefined,
  actual: Evaluated | undefined,
  assignment: Assignment,
): void {
  if (isDeepStrictEqual(expected, actual === ABSENT ? undefined : actual)) return
  const where = firstDifference(expected, actual === ABSENT ? undefined : actual, '')
  const choices = [...assignment].map(([id, value]) => `${id}=${String(value)}`).join(' ')
  throw new Error(
    `component ${component}: the merged template of ${what} differs from the render at ${where || '(root)'}\n` +
      `under ${choices}\n` +
      'A field depends on choices of several top-level groups in a way the generator cannot fold.\n' +
      `  Fix: ${FIXES.interaction} (README.md "Rules for construct authors").`,
  )
}

function firstDifference(a: unknown, b: unknown, path: string): string {
  if (isDeepStrictEqual(a, b)) return ''
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}/${key}`,
      )
      if (found) return found
    }
  }
  return `${path} (${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)})`
}

/** A small seeded PRNG: generation must not depend on Math.random. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
