// Plain manifests for GitOps: `npm run -w @helpdesk/cdk8s synth -- --config <file> [--out <file>]`.
// The config file names the instance and carries chart values (inline and/or files), so
// the output equals `helm template <name> charts/helpdesk -n <namespace> -f <values>` —
// except the random values of generated credentials (set the existingSecret options to keep
// secrets out of Git).
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { parse, stringify } from 'yaml'
import { z } from 'zod'
import { chartLabel } from '../defaults.ts'
import { renderValues } from '../render/render-helpdesk.ts'
import { coalesce, isMap, resolveValues } from '../render/values.ts'

export const synthConfigSchema = z.strictObject({
  name: z.string().min(1).describe('Instance name, like a Helm release name.'),
  namespace: z.string().min(1).default('default'),
  valuesFiles: z
    .array(z.string().min(1))
    .default([])
    .describe('Values files, relative to the config file, applied in order (like helm -f).'),
  values: z.record(z.string(), z.unknown()).default({}).describe('Values applied last.'),
})

export function synthesize(configFile: string): string {
  const config = synthConfigSchema.parse(readYaml(configFile))
  const directory = path.dirname(configFile)
  const overrides = [
    ...config.valuesFiles.map((file) => readYaml(path.resolve(directory, file))),
    config.values,
  ]
    .filter(isMap)
    .reduce((merged, next) => coalesce(merged, next), {})
  const objects = renderValues(resolveValues(overrides), {
    name: config.name,
    namespace: config.namespace,
    managedBy: 'Helm',
    backupSchedule: true,
    helmTest: false,
    chartLabel: chartLabel('helpdesk'),
  })
  return objects.map((object) => `---\n${stringify(object)}`).join('')
}

function readYaml(file: string): unknown {
  return parse(readFileSync(file, 'utf8')) ?? {}
}

function main(): number {
  const { values } = parseArgs({ options: { config: { type: 'string' }, out: { type: 'string' } } })
  if (!values.config) {
    console.error('usage: synth --config <file> [--out <file>]')
    return 2
  }
  try {
    const manifests = synthesize(path.resolve(values.config))
    if (values.out) writeFileSync(values.out, manifests)
    else process.stdout.write(manifests)
    return 0
  } catch (error) {
    console.error(
      error instanceof z.ZodError
        ? `invalid configuration:\n${z.prettifyError(error)}`
        : String(error),
    )
    return 1
  }
}

if (import.meta.main) process.exitCode = main()
