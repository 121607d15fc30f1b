// The committed charts, helm on them, and the constructs' own render of the same values.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { helm, serviceDir } from '@helpdesk/harness'
import { parseAllDocuments } from 'yaml'
import { renderCrds, renderOperator } from '../../src/charts/operator-chart.ts'
import { GENERATED_ANNOTATION } from '../../src/constructs/generated-secret.ts'
import { chartLabel } from '../../src/defaults.ts'
import { concreteContext } from '../../src/render/context.ts'
import type { KubeObject } from '../../src/render/kube-object.ts'
import { renderValues } from '../../src/render/render-helpdesk.ts'
import { resolveValues } from '../../src/render/values.ts'
import { applyGlobals } from '../../src/schema/derived.ts'
import { OPERATOR_GLOBALS, operatorValuesSchema } from '../../src/schema/operator-values.ts'

export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url))
export const HELPDESK_CHART = path.join(REPOSITORY, 'charts/helpdesk')
export const OPERATOR_CHART = path.join(REPOSITORY, 'charts/helpdesk-operator')

const scratch = serviceDir('helpdesk-cdk8s-test')
let written = 0

/**
 * Writes values to a file for `helm -f`, as JSON: helm's YAML 1.1 would read an unquoted
 * `y` or `no` as a boolean.
 */
export function valuesFile(values: Record<string, unknown>): string {
  written += 1
  const file = path.join(scratch, `values-${written}.json`)
  writeFileSync(file, JSON.stringify(values))
  return file
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length)
        throw new Error(`invalid YAML from helm: ${document.errors[0]?.message}`)
      return document.toJS() as KubeObject | null
    })
    .filter((object): object is KubeObject => object !== null)
}

export interface TemplateOptions {
  release?: string
  namespace?: string
  /** Render the `helm test` hooks too. @default false */
  tests?: boolean
  chart?: string
}

export async function helmTemplate(
  values: Record<string, unknown>,
  options: TemplateOptions = {},
): Promise<KubeObject[]> {
  const args = [
    'template',
    options.release ?? 'demo',
    options.chart ?? HELPDESK_CHART,
    '--namespace',
    options.namespace ?? 'support',
    '-f',
    valuesFile(values),
    ...(options.tests ? [] : ['--skip-tests']),
  ]
  return parseManifests(await helm(args))
}

/** The constructs' render of the same user values, the way the synth CLI does it. */
export function synthObjects(
  values: Record<string, unknown>,
  options: TemplateOptions = {},
): KubeObject[] {
  return renderValues(resolveValues(values), {
    name: options.release ?? 'demo',
    namespace: options.namespace ?? 'support',
    managedBy: 'Helm',
    backupSchedule: true,
    helmTest: options.tests ?? false,
    chartLabel: chartLabel('helpdesk'),
  })
}

/** The operator chart's render of the same user values (CRDs and operator). */
export function operatorObjects(
  values: Record<string, unknown>,
  release: string,
  namespace: string,
): KubeObject[] {
  const resolved = applyGlobals(resolveValues(values, operatorValuesSchema), OPERATOR_GLOBALS)
  const context = concreteContext({
    instance: release,
    namespace,
    managedBy: 'Helm',
    chartLabel: chartLabel('helpdesk-operator'),
  })
  return [...renderCrds(resolved, context), ...renderOperator(resolved, context)]
}

/**
 * Objects keyed by kind/name, with the random values of generated credentials replaced:
 * helm and the synth draw different ones, everything else must be equal.
 */
export function comparable(objects: KubeObject[]): Record<string, KubeObject> {
  return Object.fromEntries(
    objects.map((object) => {
      const generated = object.metadata.annotations?.[GENERATED_ANNOTATION] === 'true'
      const data = object.data as Record<string, string> | undefined
      const masked =
        generated && data
          ? {
              ...object,
              data: Object.fromEntries(Object.keys(data).map((key) => [key, '<generated>'])),
            }
          : object
      return [`${object.kind}/${object.metadata.name}`, masked]
    }),
  )
}

export function byKind(objects: KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind)
}

export function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const object = objects.find(
    (candidate) => candidate.kind === kind && candidate.metadata.name === name,
  )
  if (!object)
    throw new Error(
      `no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
    )
  return object
}
