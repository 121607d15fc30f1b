import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { objectName, selectorLabels, standardLabels } from '../render/labels.ts'
import { grafanaDashboard } from './grafana-dashboard.ts'

export interface MonitoringProps {
  readonly version: string
  /** A prometheus-operator ServiceMonitor for the API's /metrics (its metrics port), scraped at this interval. @default - none */
  readonly serviceMonitorInterval?: string
  /** A ConfigMap the Grafana sidecar loads (label grafana_dashboard=1). @default false */
  readonly grafanaDashboard?: boolean
}

/** Optional monitoring objects for clusters running prometheus-operator and Grafana. */
export class Monitoring extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const labels = standardLabels(context, 'api', props.version)
    if (props.serviceMonitorInterval !== undefined) {
      new ApiObject(this, 'service-monitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: objectName(context, 'api'), labels },
        spec: {
          selector: { matchLabels: selectorLabels(context, 'api') },
          endpoints: [
            { port: 'metrics', path: '/metrics', interval: props.serviceMonitorInterval },
          ],
        },
      })
    }
    if (props.grafanaDashboard) {
      new ApiObject(this, 'dashboard', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: objectName(context, 'dashboard'),
          labels: { ...labels, grafana_dashboard: '1' },
        },
        data: {
          'helpdesk.json': JSON.stringify(
            grafanaDashboard(
              context.instance,
              context.contentHash('dashboard-uid', { instance: context.instance }, 24),
            ),
            null,
            2,
          ),
        },
      })
    }
  }
}
