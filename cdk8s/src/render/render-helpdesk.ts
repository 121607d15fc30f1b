// The operator's and the synth CLI's entry: a Helpdesk (spec or chart values) -> objects.
import { MAX_INSTANCE_NAME_LENGTH } from '../defaults.ts'
import { dnsLabel } from '../schema/common.ts'
import { applyDerivedDefaults, applyGlobals } from '../schema/derived.ts'
import {
  HELPDESK_GLOBALS,
  type HelpdeskSpec,
  type HelpdeskSpecInput,
  type HelpdeskValues,
  helpdeskSpecSchema,
  helpdeskValuesSchema,
} from '../schema/helpdesk.ts'
import { HELPDESK_COMPONENTS, renderComponent } from './components.ts'
import { concreteContext, type RandomCredential } from './context.ts'
import type { KubeObject } from './kube-object.ts'

export const OPERATOR_MANAGER = 'helpdesk-operator'

export interface RenderHelpdeskInput {
  /** The Helpdesk resource's name: the prefix of every object name. */
  name: string
  namespace: string
  /** A Helpdesk spec; defaults are applied and it is validated. */
  spec: HelpdeskSpecInput | HelpdeskSpec
  /** app.kubernetes.io/managed-by. @default helpdesk-operator */
  managedBy?: string
  /** Added to every pod template, e.g. hashes of certificates so that pods roll on renewal. */
  podTemplateAnnotations?: Record<string, string>
  /**
   * Include the backup CronJobs (installs without the operator).
   * @default false: the operator schedules backups itself
   */
  backupSchedule?: boolean
  /** Values of generated credentials. @default random alphanumerics */
  randomCredential?: RandomCredential
}

/**
 * The objects of one Helpdesk, as plain JSON, from the same constructs as the chart.
 * Deterministic but for generated credentials: Secrets annotated helpdesk.dev/generated
 * carry random values; create them when missing and never overwrite them.
 */
export function renderHelpdesk(input: RenderHelpdeskInput): KubeObject[] {
  const values = valuesOfSpec(helpdeskSpecSchema.parse(input.spec))
  return renderValues(values, {
    name: input.name,
    namespace: input.namespace,
    managedBy: input.managedBy ?? OPERATOR_MANAGER,
    podTemplateAnnotations: input.podTemplateAnnotations,
    backupSchedule: input.backupSchedule ?? false,
    helmTest: false,
    randomCredential: input.randomCredential,
  })
}

/** A Helpdesk spec as chart values (defaults applied). */
export function valuesOfSpec(spec: HelpdeskSpec): HelpdeskValues {
  // paused and operatorVersion tell the operator whether to apply, not what.
  const { paused: _paused, operatorVersion: _pin, ...shape } = spec
  return helpdeskValuesSchema.parse(shape)
}

export interface RenderValuesOptions {
  name: string
  namespace: string
  managedBy: string
  podTemplateAnnotations?: Record<string, string>
  backupSchedule: boolean
  /** The chart's `helm test` pod. */
  helmTest: boolean
  randomCredential?: RandomCredential
  /** helm.sh/chart, for objects a chart installs. @default - none */
  chartLabel?: string
}

/**
 * Chart values (already validated) -> objects: the derived defaults and `global` applied
 * first, as the chart's config helper does.
 */
export function renderValues(parsed: HelpdeskValues, options: RenderValuesOptions): KubeObject[] {
  assertInstanceName(options.name)
  const values = applyGlobals(applyDerivedDefaults(helpdeskValuesSchema, parsed), HELPDESK_GLOBALS)
  const context = concreteContext({
    instance: options.name,
    namespace: options.namespace,
    managedBy: options.managedBy,
    podTemplateAnnotations: options.podTemplateAnnotations,
    randomCredential: options.randomCredential,
    chartLabel: options.chartLabel,
  })
  return HELPDESK_COMPONENTS.filter(
    (component) =>
      (options.helmTest || !component.chartOnly) &&
      (options.backupSchedule || !component.backupSchedule),
  ).flatMap((component) => renderComponent(component, values, context))
}

export function assertInstanceName(name: string): void {
  const valid = dnsLabel.safeParse(name).success && name.length <= MAX_INSTANCE_NAME_LENGTH
  if (!valid) {
    throw new Error(
      `instance name "${name}" must be a DNS label of at most ${MAX_INSTANCE_NAME_LENGTH} characters (lowercase letters, digits, -)`,
    )
  }
}
