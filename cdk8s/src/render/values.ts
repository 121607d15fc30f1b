// Values the way Helm sees them: the chart's values.yaml, then the user's values merged over
// it (maps merge key by key, lists and scalars replace, null removes a default), then the
// schema. The synth CLI goes through the same steps, so `helm template -f V` and
// `synth` with V start from the same configuration.
import { parse } from 'yaml'
import type { z } from 'zod'
import { documentedValues } from '../helm/values-files.ts'
import { type HelpdeskValues, helpdeskValuesSchema } from '../schema/helpdesk.ts'

type Values = Record<string, unknown>

export function isMap(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Helm's coalescing of user values over chart defaults. */
export function coalesce(defaults: Values, overrides: Values): Values {
  const out: Values = { ...defaults }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null && key in defaults) delete out[key]
    else if (isMap(value) && isMap(defaults[key]))
      out[key] = coalesce(defaults[key] as Values, value)
    else out[key] = value
  }
  return out
}

/** The defaults of the chart's values.yaml (generated from the same schema). */
export function chartDefaults(schema: z.ZodType = helpdeskValuesSchema): Values {
  return (parse(documentedValues(schema, '')) ?? {}) as Values
}

/** User values -> validated chart values, exactly as a chart install would have them. */
export function resolveValues(overrides: Values): HelpdeskValues
export function resolveValues<T extends z.ZodType>(overrides: Values, schema: T): z.output<T>
export function resolveValues(
  overrides: Values,
  schema: z.ZodType = helpdeskValuesSchema,
): unknown {
  return schema.parse(coalesce(chartDefaults(schema), overrides))
}
