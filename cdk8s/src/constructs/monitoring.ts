import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { type Component, objectName, selectorLabels, standardLabels } from '../render/labels.ts'
import { grafanaDashboard } from './grafana-dashboard.ts'

export interface MonitoringProps {
  readonly version: string
  /** prometheus-operator ServiceMonitors, scraped at this interval. @default - none */
  readonly serviceMonitor?: {
    readonly interval: string
    /** Labels Prometheus selects ServiceMonitors by. */
    readonly labels: Record<string, string>
    /** Exporter sidecars to scrape besides the API (their Services' `metrics` port). */
    readonly exporters: readonly Extract<Component, 'postgres' | 'redis'>[]
  }
  /** A ConfigMap the Grafana sidecar loads (label grafana_dashboard=1). @default false */
  readonly grafanaDashboard?: boolean
}

/** Optional monitoring objects for clusters running prometheus-operator and Grafana. */
export class Monitoring extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const monitor = props.serviceMonitor
    if (monitor) {
      const serviceMonitor = (component: Component, port: string) =>
        new ApiObject(this, `service-monitor-${component}`, {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          metadata: {
            name: objectName(context, component),
            labels: { ...standardLabels(context, component, props.version), ...monitor.labels },
          },
          spec: {
            selector: { matchLabels: selectorLabels(context, component) },
            endpoints: [{ port, path: '/metrics', interval: monitor.interval }],
          },
        })
      // The API's metrics port: /metrics is not on the port the ingress reaches.
      serviceMonitor('api', 'metrics')
      for (const exporter of monitor.exporters) serviceMonitor(exporter, 'metrics')
    }
    if (props.grafanaDashboard) {
      new ApiObject(this, 'dashboard', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: objectName(context, 'dashboard'),
          labels: { ...standardLabels(context, 'api', props.version), grafana_dashboard: '1' },
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
