// How constructs learn the instance they belong to, and the few things they cannot compute
// as plain values when the chart generator renders them with placeholders instead of
// real configuration: content hashes, generated credentials and joined lists.
import { randomInt } from 'node:crypto'
import { Chart } from 'cdk8s'
import type { Construct } from 'constructs'
import { contentSha256 } from './canonical-json.ts'

export interface RenderContext {
  /** Instance (Helm release or Helpdesk resource) name: the prefix of every object name. */
  readonly instance: string
  readonly namespace: string
  /** app.kubernetes.io/managed-by: Helm or helpdesk-operator. */
  readonly managedBy: string
  /** Added to every pod template (the operator passes certificate hashes). */
  readonly podTemplateAnnotations: Readonly<Record<string, string>>
  /** helm.sh/chart of a chart install (`<chart>-<version>`); none for the operator's objects. */
  readonly chartLabel?: string
  /** sha256 of the content, hex, cut to `length`; the chart computes it with sha256sum. */
  contentHash(id: string, content: Record<string, unknown>, length?: number): string
  /** Base64 of a random alphanumeric credential; the chart keeps the live value on upgrade. */
  generatedCredential(secretName: string, key: string, length: number): string
  /** `list.join(separator)`; the chart joins the configured list itself. */
  joinList(list: readonly string[], separator: string): string
}

export type RandomCredential = (secretName: string, key: string, length: number) => string

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** What Helm's randAlphaNum does, from a cryptographic source. */
export const randomAlphanumeric: RandomCredential = (_secretName, _key, length) =>
  Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('')

export interface ConcreteContextOptions {
  instance: string
  namespace: string
  managedBy: string
  podTemplateAnnotations?: Record<string, string>
  randomCredential?: RandomCredential
  chartLabel?: string
}

/** The context of a real render: every value is known. */
export function concreteContext(options: ConcreteContextOptions): RenderContext {
  const random = options.randomCredential ?? randomAlphanumeric
  return {
    instance: options.instance,
    namespace: options.namespace,
    managedBy: options.managedBy,
    podTemplateAnnotations: options.podTemplateAnnotations ?? {},
    chartLabel: options.chartLabel,
    contentHash: (_id, content, length = 64) => contentSha256(content).slice(0, length),
    generatedCredential: (secretName, key, length) =>
      Buffer.from(random(secretName, key, length)).toString('base64'),
    joinList: (list, separator) => list.join(separator),
  }
}

/** The root of every rendered object tree; carries the context down to the constructs. */
export class HelpdeskChart extends Chart {
  readonly context: RenderContext

  constructor(scope: Construct, id: string, context: RenderContext) {
    super(scope, id, { disableResourceNameHashes: true, namespace: context.namespace })
    this.context = context
  }
}

export function renderContextOf(construct: Construct): RenderContext {
  const chart = construct.node.scopes.find((scope) => scope instanceof HelpdeskChart)
  if (!chart) throw new Error(`${construct.node.path} is not inside a HelpdeskChart`)
  return (chart as HelpdeskChart).context
}
