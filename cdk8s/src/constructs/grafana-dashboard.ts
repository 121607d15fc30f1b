// The Grafana dashboard of an instance: the seed's KPIs (p95 < 2 s, error rate < 1 %,
// CPU and memory < 80 %) from the API's metrics, plus the pool and Redis state.

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own variable syntax
const DATASOURCE = { uid: '${datasource}' }

interface Panel {
  title: string
  expr: string
  unit: string
  legend: string
  threshold?: number
}

function panels(instance: string): Panel[] {
  const job = `namespace=~"$namespace", service="${instance}-api"`
  return [
    {
      title: 'Requests per second',
      expr: `sum by (status) (rate(http_request_duration_seconds_count{${job}}[5m]))`,
      unit: 'reqps',
      legend: '{{status}}',
    },
    {
      title: 'p95 latency (target < 2 s)',
      expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${job}}[5m])))`,
      unit: 's',
      legend: 'p95',
      threshold: 2,
    },
    {
      title: 'Error rate (target < 1 %)',
      expr: `sum(rate(http_request_duration_seconds_count{${job}, status=~"5.."}[5m])) / sum(rate(http_request_duration_seconds_count{${job}}[5m]))`,
      unit: 'percentunit',
      legend: '5xx share',
      threshold: 0.01,
    },
    {
      title: 'CPU of limit (target < 80 %)',
      expr: `sum by (pod) (rate(process_cpu_seconds_total{${job}}[5m]))`,
      unit: 'percentunit',
      legend: '{{pod}}',
      threshold: 0.8,
    },
    {
      title: 'Resident memory',
      expr: `process_resident_memory_bytes{${job}}`,
      unit: 'bytes',
      legend: '{{pod}}',
    },
    {
      title: 'Database pool',
      expr: `sum by (pod) (db_pool_connections_total{${job}})`,
      unit: 'short',
      legend: '{{pod}}',
    },
    {
      title: 'Requests waiting for a connection',
      expr: `sum(db_pool_requests_waiting{${job}})`,
      unit: 'short',
      legend: 'waiting',
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
      targets: [{ expr: panel.expr, legendFormat: panel.legend, refId: 'A' }],
    })),
  }
}
