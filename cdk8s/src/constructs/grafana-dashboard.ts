// The Grafana dashboard of an instance: the seed's performance monitoring (p50, p95, p99;
// 4xx and 5xx rates; throughput) and KPIs (p95 < 2 s, errors < 1 %, CPU and memory < 80 %
// of the limits), plus saturation: the database pool, waiting queries, requests in flight
// and event-loop lag.

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own variable syntax
const DATASOURCE = { uid: '${datasource}' }

interface Panel {
  title: string
  /** One query, or several drawn together (p50 / p95 / p99). */
  expr: string | string[]
  unit: string
  legend: string | string[]
  threshold?: number
}

function panels(instance: string): Panel[] {
  const job = `namespace=~"$namespace", service="${instance}-api"`
  const limits = (resource: string) =>
    `on (pod) group_left sum by (pod) (kube_pod_container_resource_limits{namespace=~"$namespace", container="api", resource="${resource}"})`
  const quantile = (q: number) =>
    `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${job}}[5m])))`
  const share = (status: string) =>
    `sum(rate(http_request_duration_seconds_count{${job}, status=~"${status}"}[5m])) / sum(rate(http_request_duration_seconds_count{${job}}[5m]))`
  return [
    {
      title: 'Requests per second',
      expr: `sum by (status) (rate(http_request_duration_seconds_count{${job}}[5m]))`,
      unit: 'reqps',
      legend: '{{status}}',
    },
    {
      title: 'Latency p50 / p95 / p99 (target p95 < 2 s)',
      expr: [quantile(0.5), quantile(0.95), quantile(0.99)],
      unit: 's',
      legend: ['p50', 'p95', 'p99'],
      threshold: 2,
    },
    {
      title: 'Error rate (target 5xx < 1 %)',
      expr: [share('5..'), share('4..')],
      unit: 'percentunit',
      legend: ['5xx share', '4xx share'],
      threshold: 0.01,
    },
    {
      title: 'Errors by type',
      expr: `sum by (type, status) (rate(http_errors_total{${job}}[5m]))`,
      unit: 'reqps',
      legend: '{{type}} {{status}}',
    },
    {
      title: 'CPU of limit (target < 80 %)',
      expr: `sum by (pod) (rate(process_cpu_seconds_total{${job}}[5m])) / ${limits('cpu')}`,
      unit: 'percentunit',
      legend: '{{pod}}',
      threshold: 0.8,
    },
    {
      title: 'Memory of limit (target < 80 %)',
      expr: `sum by (pod) (process_resident_memory_bytes{${job}}) / ${limits('memory')}`,
      unit: 'percentunit',
      legend: '{{pod}}',
      threshold: 0.8,
    },
    {
      title: 'Database pool in use (saturation)',
      expr: `sum by (pod) (db_pool_connections_total{${job}} - db_pool_connections_idle{${job}}) / sum by (pod) (db_pool_connections_max{${job}})`,
      unit: 'percentunit',
      legend: '{{pod}}',
      threshold: 0.8,
    },
    {
      title: 'Requests waiting for a connection',
      expr: `sum(db_pool_requests_waiting{${job}})`,
      unit: 'short',
      legend: 'waiting',
    },
    {
      title: 'Requests in flight',
      expr: `sum by (pod) (http_requests_in_flight{${job}})`,
      unit: 'short',
      legend: '{{pod}}',
    },
    {
      title: 'Event loop lag p99',
      expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${job}})`,
      unit: 's',
      legend: '{{pod}}',
    },
    { title: 'Redis up', expr: `min(redis_up{${job}})`, unit: 'short', legend: 'up' },
  ]
}

/** `uid`: stable per instance and within Grafana's 40 characters. */
export function grafanaDashboard(instance: string, uid: string) {
  return {
    title: `Helpdesk ${instance}`,
    uid,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus' },
        {
          name: 'namespace',
          type: 'query',
          datasource: DATASOURCE,
          query: 'label_values(http_request_duration_seconds_count, namespace)',
        },
      ],
    },
    panels: panels(instance).map((panel, index) => ({
      id: index + 1,
      type: 'timeseries',
      title: panel.title,
      gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
      datasource: DATASOURCE,
      fieldConfig: {
        defaults: {
          unit: panel.unit,
          ...(panel.threshold === undefined
            ? {}
            : {
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    { color: 'green', value: null },
                    { color: 'red', value: panel.threshold },
                  ],
                },
              }),
        },
      },
      targets: [panel.expr].flat().map((expr, target) => ({
        expr,
        legendFormat: [panel.legend].flat()[target],
        refId: String.fromCharCode(65 + target),
      })),
    })),
  }
}
