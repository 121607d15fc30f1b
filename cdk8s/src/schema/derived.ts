// Values computed from other values after the schema's defaults: derived defaults (a field
// whose default depends on another field) and the `global` values helm shares between the
// charts of an umbrella chart. The chart's config helper does the same in Go templates
// (helm/values-files.ts), so that templates and constructs see one configuration.
import { z } from 'zod'
import { secretName } from './common.ts'
import { registryHost } from './images.ts'
import { DERIVED_KEY, type DerivedDefault, derivedDefaultByDescription } from './rules.ts'

type Values = Record<string, unknown>
type Path = readonly string[]

const isMap = (value: unknown): value is Values =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * A deep copy made of plain objects of this realm (values are JSON). structuredClone's copies
 * come from the host realm under jest's VM, which cdk8s then does not take for plain objects.
 */
const copyOf = <T>(values: T): T => JSON.parse(JSON.stringify(values)) as T

/** Where a schema's derived defaults are, found in its JSON Schema. */
export function derivedDefaults(schema: z.ZodType): { path: Path; rule: DerivedDefault }[] {
  const found: { path: Path; rule: DerivedDefault }[] = []
  const walk = (node: Values, path: Path) => {
    const description = node[DERIVED_KEY] as string | undefined
    if (description !== undefined) {
      const rule = derivedDefaultByDescription(description)
      if (!rule) throw new Error(`${path.join('.')}: derived default "${description}" is unknown`)
      found.push({ path, rule })
    }
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Values>)) {
      walk(child, [...path, key])
    }
  }
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as Values, [])
  return found
}

/** Fills every derived default the parsed values leave unset (where its parent exists). */
export function applyDerivedDefaults<T>(schema: z.ZodType, values: T): T {
  const copy = copyOf(values) as Values
  for (const { path, rule } of derivedDefaults(schema)) {
    const parent = path
      .slice(0, -1)
      .reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), copy)
    const key = path.at(-1) as string
    if (isMap(parent) && parent[key] === undefined) parent[key] = rule.compute(copy as never)
  }
  return copy as T
}

/**
 * `global` of chart values: helm passes it to every chart of an umbrella chart (as `{}` when
 * nobody sets it), so it stays open to keys other charts define.
 */
export const globalSchema = z
  .looseObject({
    imageRegistry: registryHost
      .optional()
      .describe('Replaces the registry of every image (a mirror).'),
    imagePullSecrets: z
      .array(z.strictObject({ name: secretName }))
      .default([])
      .describe('imagePullSecrets added to every pod.'),
  })
  .prefault({})
  .describe('Values shared by the charts of an umbrella chart.')

/** Where a chart's images take the global values. */
export interface GlobalBinding {
  /** Objects with a `registry` that global.imageRegistry replaces. */
  registries: Path[]
  /** The list global.imagePullSecrets is appended to. */
  pullSecrets: Path
}

interface Globals {
  imageRegistry?: string
  imagePullSecrets: { name: string }[]
}

/** The values with `global` applied (a copy). */
export function applyGlobals<T>(values: T, binding: GlobalBinding): T {
  const copy = copyOf(values) as Values
  const global = copy.global as Globals | undefined
  if (!global) return copy as T
  const at = (path: Path) =>
    path.reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), copy) as Values
  if (global.imageRegistry !== undefined) {
    for (const path of binding.registries) at(path).registry = global.imageRegistry
  }
  const parent = at(binding.pullSecrets.slice(0, -1))
  const key = binding.pullSecrets.at(-1) as string
  parent[key] = [...(parent[key] as unknown[]), ...global.imagePullSecrets]
  return copy as T
}

/** The same in the config helper, over `$root` after the defaults. */
export function globalsTemplate(binding: GlobalBinding): string[] {
  const expression = (path: Path) => ['$root', ...path].join('.')
  const pullSecrets = binding.pullSecrets
  return [
    '{{- if hasKey $root.global "imageRegistry" }}',
    ...binding.registries.map(
      (path) => `{{- $_ := set ${expression(path)} "registry" $root.global.imageRegistry }}`,
    ),
    '{{- end }}',
    `{{- $_ := set ${expression(pullSecrets.slice(0, -1))} ${JSON.stringify(pullSecrets.at(-1))} (default (list) (concat ${expression(pullSecrets)} $root.global.imagePullSecrets)) }}`,
  ]
}
