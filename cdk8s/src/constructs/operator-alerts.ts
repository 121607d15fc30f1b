import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { objectName } from '../render/labels.ts'
import { AlertRules } from './alert-rules.ts'

export interface OperatorAlertsProps {
  /** The operator's labels plus those Prometheus selects PrometheusRules by. */
  readonly labels: Record<string, string>
}

/** The operator's own health: reconciles keep failing, nobody leads, nobody runs. */
export class OperatorAlerts extends Construct {
  constructor(scope: Construct, id: string, props: OperatorAlertsProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const operator = `namespace="${context.namespace}", service="${objectName(context, 'operator')}"`
    const name = `helpdesk-operator ${context.namespace}/${context.instance}`
    new AlertRules(this, 'rules', {
      name: objectName(context, 'operator'),
      labels: props.labels,
      groups: {
        'helpdesk.operator': [
          {
            alert: 'HelpdeskOperatorReconcileErrors',
            expr: `sum by (controller) (rate(helpdesk_operator_reconcile_errors_total{${operator}}[15m])) > 0`,
            for: '30m',
            severity: 'warning',
            summary: `${name}: reconciles keep failing`,
            description:
              'Reconciles of {{ $labels.controller }} have failed for 30 minutes: look at the Warning Events and Ready conditions of the Helpdesks, and the operator log.',
          },
          {
            alert: 'HelpdeskOperatorNoLeader',
            expr: `max(helpdesk_operator_leader{${operator}}) < 1 or absent(up{${operator}} == 1)`,
            for: '10m',
            severity: 'critical',
            summary: `${name}: no operator is leading`,
            description:
              'No operator pod holds the Lease (or none is scraped): Helpdesks are not reconciled, backups not scheduled, certificates not renewed.',
          },
        ],
      },
    })
  }
}
