// charts/helpdesk: the whole product for one release, from HELPDESK_COMPONENTS.
import { stringify } from 'yaml'
import { HELPDESK_VERSION, SMALL_PROFILE } from '../defaults.ts'
import type { ChartDefinition } from '../helm/chart-generator.ts'
import { HELPDESK_COMPONENTS, renderComponent } from '../render/components.ts'
import { HELPDESK_GLOBALS, type HelpdeskValues, helpdeskValuesSchema } from '../schema/helpdesk.ts'
import { CHART_METADATA } from './chart-metadata.ts'
import { RELEASE_NAME_CHECK } from './release-name.ts'

export function helpdeskChartDefinition(): ChartDefinition {
  return {
    name: 'helpdesk',
    version: HELPDESK_VERSION,
    appVersion: HELPDESK_VERSION,
    metadata: {
      description:
        'Helpdesk (tickets, agents, customers): API, web app, Postgres, Redis, attachments storage, routing, NetworkPolicies and backups.',
      type: 'application',
      kubeVersion: '>=1.30.0-0',
      keywords: ['helpdesk', 'ticketing', 'support'],
      ...CHART_METADATA,
    },
    valuesSchema: helpdeskValuesSchema,
    globals: HELPDESK_GLOBALS,
    valuesHeader: [
      'Values of charts/helpdesk. Generated from the Helpdesk spec schema in cdk8s/ (make charts);',
      'values.schema.json checks them. Commented-out keys are optional parts with their shape.',
      'The same values drive `npm run -w @helpdesk/cdk8s synth` for plain manifests.',
    ].join('\n'),
    notes: NOTES,
    releaseNameCheck: RELEASE_NAME_CHECK,
    readme: README,
    staticFiles: { 'values-small.yaml': SMALL_VALUES },
    components: HELPDESK_COMPONENTS.map((component) => ({
      id: component.id,
      testHook: component.chartOnly,
      render: (values, context) => renderComponent(component, values as HelpdeskValues, context),
    })),
  }
}

const NOTES = `{{- $cfg := include "helpdesk.config" . | fromJson -}}
Helpdesk {{ .Chart.AppVersion }} is installed as release "{{ .Release.Name }}" in namespace "{{ .Release.Namespace }}".

URL: https://{{ $cfg.host }}
{{- if hasKey $cfg.ingress "gateway" }}
  Routed by the HTTPRoute {{ .Release.Name }}-web; TLS terminates at the Gateway.
{{- else }}
  Routed by the Ingress {{ .Release.Name }}-web (class {{ if $cfg.ingressNginx.enabled }}{{ .Release.Namespace }}-{{ .Release.Name }}-nginx{{ else }}{{ $cfg.ingress.className }}{{ end }}).
{{- end }}
{{- if eq $cfg.ingress.tls.mode "certManager" }}
  cert-manager issues the certificate into Secret {{ $cfg.ingress.tls.secretName | default (printf "%s-tls" .Release.Name) }}.
{{- else if eq $cfg.ingress.tls.mode "secret" }}
  Create the kubernetes.io/tls Secret {{ $cfg.ingress.tls.secretName | default (printf "%s-tls" .Release.Name) }} for {{ $cfg.host }}, or use ingress.tls.mode=certManager.
{{- else }}
  The Helpdesk operator writes the certificate Secret {{ $cfg.ingress.tls.secretName | default (printf "%s-tls" .Release.Name) }}.
{{- end }}

First admin: {{ $cfg.api.bootstrapAdmin.email | default (printf "admin@%s" $cfg.host) }}
{{- if hasKey $cfg.api.bootstrapAdmin "existingSecret" }}
  Password: key "password" of Secret {{ $cfg.api.bootstrapAdmin.existingSecret }}.
{{- else }}
  Password: kubectl get secret {{ .Release.Name }}-admin -n {{ .Release.Namespace }} -o jsonpath='{.data.password}' | base64 -d
{{- end }}

The schema migrations run in a Job ({{ .Release.Name }}-migrations-*); API pods turn ready when
the schema is current. Check the release with: helm test {{ .Release.Name }} -n {{ .Release.Namespace }}
{{- if not $cfg.backup }}

Backups are OFF. Set backup.s3 and backup.encryptionKeySecretRef (or install the operator).
{{- end }}
{{- if $cfg.ingressNginx.enabled }}

WARNING: ingressNginx.enabled installs ingress-nginx, which was retired upstream in March 2026
and receives no security fixes. Prefer a maintained controller or a Gateway (ingress.gateway).
{{- end }}
`

const SMALL_VALUES = `# The small profile: requests that fit a node of two CPUs beside the cluster's own pods.
# helm install helpdesk charts/helpdesk -f charts/helpdesk/values-small.yaml
# Generated from SMALL_PROFILE in cdk8s/src/defaults.ts (make charts).
${stringify(SMALL_PROFILE)}`

const README = `Helpdesk (tickets, agents, customers) for one release: the API, the web app, Postgres 15,
Redis 7 (or Valkey), attachments storage (MinIO or S3), an Ingress or a Gateway API HTTPRoute,
NetworkPolicies, backups and optional monitoring and alerting. Every pod runs under Pod
Security "restricted". Generated from the cdk8s constructs in \`cdk8s/\` (\`make charts\`): do
not edit it by hand; cdk8s/README.md says what each object does and why.

\`\`\`sh
helm upgrade --install helpdesk charts/helpdesk -n support --create-namespace \\
  --set host=help.example.com --set ingress.tls.mode=certManager \\
  --set ingress.tls.issuerRef.name=letsencrypt
helm test helpdesk -n support
\`\`\`

- As a dependency of an umbrella chart: \`global.imageRegistry\` (a mirror for every image)
  and \`global.imagePullSecrets\` apply; other \`global\` keys are left alone.
  \`commonLabels\` and \`commonAnnotations\` go on every object; every object carries
  \`helm.sh/chart\`.
- Each component (\`api\`, \`web\`, \`database.managed\`, \`redis.managed\`, \`storage.minio\`,
  \`ingressNginx\`) takes \`nodeSelector\`, \`tolerations\`, \`affinity\`, \`priorityClassName\`,
  \`podAnnotations\`, \`podLabels\`, \`extraEnv\`, \`extraEnvFrom\`, \`extraVolumes\`,
  \`extraVolumeMounts\` and \`serviceAccount.annotations\`; \`api\` and \`web\` also
  \`topologySpreadConstraints\` and \`podDisruptionBudget\`. The Jobs running the API image
  (migrations, backups) take the API's settings.
- Cloud identity: leave \`storage.s3.credentialsSecretRef\` and \`backup.s3.credentialsSecretRef\`
  unset and annotate \`api.serviceAccount\` and \`backup.serviceAccount\` (IRSA, EKS Pod
  Identity, GKE workload identity): the AWS SDK's default chain finds the credentials.
- Images: \`images.<name>\` has \`registry\`, \`repository\`, \`tag\` and an optional \`digest\`
  that pins it. Valkey replaces Redis through \`images.redis\` (\`valkey/valkey\`, tag 8).
- The app connects to the managed Postgres as \`helpdesk\`, the owner of its database and
  no superuser (it may create databases: restores and drills need that). \`maxConnections\`
  must cover \`api.replicas.max × api.databasePoolMax + 20\`; the schema checks it.
- Postgres and Redis speak TLS whenever certificates can be had — with
  \`ingress.tls.mode=certManager\` cert-manager issues them, and a sidecar reloads the server
  when they are renewed; \`database.managed.tls.enabled=false\` (and the same for Redis) opts
  out.
- Backups (\`backup\`) write server-side encrypted objects (\`backup.s3.serverSideEncryption\`,
  AES256 by default) on top of the engine's own encryption; \`backup.s3.manageLifecycle\`
  lets the prune step set the bucket's lifecycle rules when the bucket is this install's own.
- Monitoring: \`monitoring.serviceMonitor\` (with \`additionalLabels\`),
  \`monitoring.prometheusRule\` (the seed's alerts), \`database.managed.metrics\` and
  \`redis.managed.metrics\` (exporters), \`monitoring.grafanaDashboard\`.
- Secrets: passwords are generated and kept across upgrades and uninstalls unless you name
  your own (\`*.existingSecret\`, \`*SecretRef\`).
- Two releases can share a namespace: every object is named \`<release>-<component>\`.
- A small node (two CPUs: a trial, a small team, CI): add \`-f charts/helpdesk/values-small.yaml\`.
  The production defaults request 1.65 CPUs at rest (two API and two web pods), before Jobs; the small
  profile 0.25, with one API and one web pod that the HPA scales out. It sets the managed
  Postgres, Redis and MinIO: with external services, copy its \`api\` and \`web\` parts only.
- \`ingressNginx.enabled\` installs ingress-nginx, retired upstream in March 2026 and without
  security fixes since: prefer your own controller or \`ingress.gateway\`.
- Plain manifests of the same objects: \`npm run -w @helpdesk/cdk8s synth -- --config <file>\`.
`
