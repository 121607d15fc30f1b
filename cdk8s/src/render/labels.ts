// Names and labels (CONTRIBUTING.md "Kubernetes"): objects are `<instance>-<component>`, so
// two installs in one namespace never collide, and carry the standard labels.
import { STANDARD_LABELS } from '../defaults.ts'
import type { RenderContext } from './context.ts'

export type Component =
  | 'api'
  | 'web'
  | 'migrations'
  | 'postgres'
  | 'redis'
  | 'minio'
  | 'backup'
  | 'ingress-nginx'
  | 'operator'
  | 'test'

export function objectName(context: RenderContext, suffix: string): string {
  return `${context.instance}-${suffix}`
}

/** The labels a selector uses: stable for the life of the instance. */
export function selectorLabels(context: RenderContext, component: Component, name = 'helpdesk') {
  return {
    [STANDARD_LABELS.name]: name,
    [STANDARD_LABELS.instance]: context.instance,
    [STANDARD_LABELS.component]: component,
  }
}

/** Every label an object carries (objects of the whole instance have no component). */
export function standardLabels(
  context: RenderContext,
  component: Component | undefined,
  version: string,
  name = 'helpdesk',
): Record<string, string> {
  return {
    [STANDARD_LABELS.name]: name,
    [STANDARD_LABELS.instance]: context.instance,
    ...(component ? { [STANDARD_LABELS.component]: component } : {}),
    [STANDARD_LABELS.partOf]: 'helpdesk',
    [STANDARD_LABELS.version]: version,
    [STANDARD_LABELS.managedBy]: context.managedBy,
  }
}

/** Selects every pod of the instance, whatever its component. */
export function instanceSelector(context: RenderContext): Record<string, string> {
  return {
    [STANDARD_LABELS.partOf]: 'helpdesk',
    [STANDARD_LABELS.instance]: context.instance,
  }
}
