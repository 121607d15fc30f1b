import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'

/** One Prometheus alerting rule. */
export interface AlertRule {
  readonly alert: string
  /** PromQL; the alert fires while it returns series (for `for`). */
  readonly expr: string
  /** e.g. 10m */
  readonly for: string
  readonly severity: 'warning' | 'critical'
  readonly summary: string
  readonly description: string
}

export interface AlertRulesProps {
  readonly name: string
  readonly labels: Record<string, string>
  /** Rule groups by name, evaluated every 30 s. */
  readonly groups: Record<string, readonly AlertRule[]>
}

/** A prometheus-operator PrometheusRule (promtool tests them: cdk8s/test/alerts). */
export class AlertRules extends Construct {
  constructor(scope: Construct, id: string, props: AlertRulesProps) {
    super(scope, id)
    new ApiObject(this, 'rule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name, labels: props.labels },
      spec: {
        groups: Object.entries(props.groups)
          .filter(([, rules]) => rules.length > 0)
          .map(([name, rules]) => ({
            name,
            interval: '30s',
            rules: rules.map((rule) => ({
              alert: rule.alert,
              expr: rule.expr,
              for: rule.for,
              labels: { severity: rule.severity },
              annotations: { summary: rule.summary, description: rule.description },
            })),
          })),
      },
    })
  }
}
