// The constructs one by one: exact checks of the fields that carry a requirement.
import { describe, expect, it } from '@jest/globals'
import { Api } from '../src/constructs/api.ts'
import { BackupSchedule } from '../src/constructs/backup-schedule.ts'
import { GeneratedSecret } from '../src/constructs/generated-secret.ts'
import { IngressNginx } from '../src/constructs/ingress-nginx.ts'
import { Migrations } from '../src/constructs/migrations.ts'
import { Minio } from '../src/constructs/minio.ts'
import { NetworkPolicies, type NetworkPoliciesProps } from '../src/constructs/network-policies.ts'
import { Postgres } from '../src/constructs/postgres.ts'
import { RDB_SAVE_POINTS, Redis } from '../src/constructs/redis.ts'
import { Routing, type RoutingProps } from '../src/constructs/routing.ts'
import { Web } from '../src/constructs/web.ts'
import { API_DRAIN } from '../src/defaults.ts'
import { contentSha256 } from '../src/render/canonical-json.ts'
import type { KubeObject } from '../src/render/kube-object.ts'
import { defaultTopologySpread } from '../src/schema/workload.ts'
import { container, envOf, only, podSpec, synth } from './support/synth.ts'

const api = (changes: Partial<ConstructorParameters<typeof Api>[2]> = {}) =>
  synth((chart) => {
    new Api(chart, 'api', {
      image: 'ghcr.io/helpdesk/api:0.1.0',
      version: '0.1.0',
      replicas: { min: 2, max: 10 },
      autoscaling: {
        cpuUtilization: 70,
        memoryUtilization: 80,
        scaleDownStabilizationSeconds: 300,
      },
      environment: { LOG_LEVEL: 'info' },
      secretEnvironment: [
        { name: 'DATABASE_PASSWORD', secretName: 'acme-postgres-auth', key: 'password' },
      ],
      ...changes,
    })
  })

describe('Api', () => {
  it('runs `helpdesk serve` under Pod Security "restricted" as UID 10001', () => {
    const deployment = only(api(), 'Deployment')
    expect(podSpec(deployment).securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      fsGroup: 10001,
    })
    expect(container(deployment)).toMatchObject({
      args: ['serve'],
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
    })
  })

  it('probes /livez for start-up and liveness and /readyz for readiness', () => {
    const probes = container(only(api(), 'Deployment'))
    expect(probes.startupProbe).toMatchObject({ httpGet: { path: '/livez', port: 8080 } })
    expect(probes.livenessProbe).toMatchObject({ httpGet: { path: '/livez', port: 8080 } })
    expect(probes.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 8080 } })
  })

  it('drains: SIGUSR2 and a wait in preStop, then the shutdown grace, inside terminationGracePeriodSeconds', () => {
    const deployment = only(api(), 'Deployment')
    const pod = podSpec(deployment)
    const { command } = (
      container(deployment).lifecycle as { preStop: { exec: { command: string[] } } }
    ).preStop.exec
    expect(command).toEqual(['/bin/sh', '-c', `kill -USR2 1; sleep ${API_DRAIN.preStopSeconds}`])
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      API_DRAIN.preStopSeconds + API_DRAIN.shutdownGraceMs / 1000,
    )
  })

  it('has the seed limits (512Mi, 1 CPU) by default, and bounds its scratch space', () => {
    expect(container(only(api(), 'Deployment')).resources).toEqual({
      requests: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '1Gi' },
    })
  })

  it('runs under its own ServiceAccount without a token', () => {
    const objects = api()
    expect(only(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false)
    expect(podSpec(only(objects, 'Deployment'))).toMatchObject({
      serviceAccountName: 'acme-api',
      automountServiceAccountToken: false,
    })
  })

  it('rolls its pods when the configuration changes, through a checksum of the ConfigMap', () => {
    const checksum = (objects: KubeObject[]) =>
      (
        only(objects, 'Deployment').spec as {
          template: { metadata: { annotations: Record<string, string> } }
        }
      ).template.metadata.annotations['checksum/config']
    const objects = api()
    expect(only(objects, 'ConfigMap').data).toEqual({ LOG_LEVEL: 'info' })
    expect(checksum(objects)).toBe(contentSha256({ data: { LOG_LEVEL: 'info' } }))
    expect(checksum(api({ environment: { LOG_LEVEL: 'debug' } }))).not.toBe(checksum(objects))
  })

  it('scales on CPU and memory with an HPA, and leaves replicas to it', () => {
    const objects = api()
    expect(only(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { resource: { name: 'cpu', target: { averageUtilization: 70 } } },
        { resource: { name: 'memory', target: { averageUtilization: 80 } } },
      ],
    })
    expect(only(objects, 'Deployment').spec).not.toHaveProperty('replicas')
    const fixed = api({ autoscaling: undefined })
    expect(fixed.filter((object) => object.kind === 'HorizontalPodAutoscaler')).toEqual([])
    expect(only(fixed, 'Deployment').spec).toMatchObject({ replicas: 2 })
  })

  it('has a PDB that never blocks a drain, and spreads as configured (zones, then nodes)', () => {
    const objects = api({
      settings: { topologySpreadConstraints: defaultTopologySpread('helpdesk') },
    })
    expect(only(objects, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1 })
    const spread = podSpec(only(objects, 'Deployment')).topologySpreadConstraints as {
      topologyKey: string
      matchLabelKeys: string[]
    }[]
    expect(spread.map((constraint) => constraint.topologyKey)).toEqual([
      'topology.kubernetes.io/zone',
      'kubernetes.io/hostname',
    ])
    expect(spread[0]?.matchLabelKeys).toContain('pod-template-hash')
    const budget = api({ disruptionBudget: { enabled: false, maxUnavailable: 1 } })
    expect(budget.filter((object) => object.kind === 'PodDisruptionBudget')).toEqual([])
  })

  it('takes the platform team’s scheduling, labels, annotations, env and volumes', () => {
    const deployment = only(
      api({
        settings: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
          affinity: { nodeAffinity: {} },
          priorityClassName: 'helpdesk-high',
          podLabels: { team: 'support' },
          podAnnotations: { 'example.com/note': 'x' },
          extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }],
          extraEnvFrom: [{ secretRef: { name: 'more' } }],
          extraVolumes: [{ name: 'ca', configMap: { name: 'ca' } }],
          extraVolumeMounts: [{ name: 'ca', mountPath: '/etc/ca' }],
        },
        serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' },
      }),
      'Deployment',
    )
    const pod = podSpec(deployment)
    expect(pod).toMatchObject({
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: {} },
      priorityClassName: 'helpdesk-high',
    })
    expect(pod.volumes).toContainEqual({ name: 'ca', configMap: { name: 'ca' } })
    const main = container(deployment)
    expect(main.env?.at(-1)).toEqual({ name: 'HTTPS_PROXY', value: 'http://proxy:3128' })
    expect(main.envFrom).toContainEqual({ secretRef: { name: 'more' } })
    expect(main.volumeMounts).toContainEqual({ name: 'ca', mountPath: '/etc/ca' })
    const template = (
      deployment.spec as { template: { metadata: Record<string, Record<string, string>> } }
    ).template.metadata
    expect(template.labels).toMatchObject({ team: 'support', 'app.kubernetes.io/component': 'api' })
    expect(template.annotations).toMatchObject({ 'example.com/note': 'x' })
    expect(
      only(api({ serviceAccountAnnotations: { a: 'b' } }), 'ServiceAccount').metadata.annotations,
    ).toEqual({
      a: 'b',
    })
  })
})

describe('Web', () => {
  it('proxies /api/ to the API Service and probes nginx itself', () => {
    const objects = synth((chart) => {
      new Web(chart, 'web', {
        image: 'ghcr.io/helpdesk/web:0.1.0',
        version: '0.1.0',
        replicas: { min: 2, max: 6 },
        apiUpstream: 'http://acme-api:8080',
        clientMaxBodySize: '30m',
      })
    })
    const web = container(only(objects, 'Deployment'))
    expect(envOf(web)).toEqual({
      API_UPSTREAM: 'http://acme-api:8080',
      CLIENT_MAX_BODY_SIZE: '30m',
    })
    expect(web.readinessProbe).toMatchObject({ httpGet: { path: '/' } })
    expect(web.livenessProbe).toMatchObject({ tcpSocket: { port: 8080 } })
    expect(only(objects, 'Service').spec).toMatchObject({ ports: [{ port: 8080 }] })
    expect(only(objects, 'PodDisruptionBudget').metadata.name).toBe('acme-web')
  })
})

const managed = {
  version: '0.1.0',
  resources: {
    requests: { cpu: '250m', memory: '512Mi' },
    limits: { cpu: '2', memory: '1Gi', ephemeralStorage: '1Gi' },
  },
}

describe('Postgres', () => {
  const postgres = (changes: Partial<ConstructorParameters<typeof Postgres>[2]> = {}) =>
    synth((chart) => {
      new Postgres(chart, 'postgres', {
        ...managed,
        image: 'docker.io/library/postgres:15',
        storage: '20Gi',
        storageClassName: 'fast',
        passwordSecretName: 'acme-postgres-auth',
        maxConnections: 200,
        parameters: ["shared_buffers = '256MB'"],
        ...changes,
      })
    })

  it('runs the official postgres:15 image as its own UID with a PersistentVolumeClaim', () => {
    const statefulSet = only(postgres(), 'StatefulSet')
    expect(container(statefulSet).image).toBe('docker.io/library/postgres:15')
    expect(podSpec(statefulSet).securityContext).toMatchObject({
      runAsUser: 999,
      fsGroup: 999,
      runAsNonRoot: true,
    })
    expect(statefulSet.spec).toMatchObject({
      serviceName: 'acme-postgres',
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { resources: { requests: { storage: '20Gi' } }, storageClassName: 'fast' },
        },
      ],
    })
    expect(container(statefulSet).resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '1Gi' },
    })
  })

  it('creates the app role as the owner of its database, no superuser (first start only)', () => {
    const objects = postgres()
    const server = container(only(objects, 'StatefulSet'))
    expect(envOf(server)).toMatchObject({
      PGDATA: '/var/lib/postgresql/data/pgdata',
      POSTGRES_USER: 'postgres',
    })
    const env = server.env as { name: string; valueFrom?: { secretKeyRef: unknown } }[]
    expect(env.find((variable) => variable.name === 'HELPDESK_PASSWORD')?.valueFrom).toEqual({
      secretKeyRef: { name: 'acme-postgres-auth', key: 'password' },
    })
    const init = (only(objects, 'ConfigMap').data as Record<string, string>)['init-helpdesk.sh']
    expect(init).toContain(
      "CREATE ROLE helpdesk LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password'",
    )
    expect(init).toContain('CREATE DATABASE helpdesk OWNER helpdesk')
    expect(podSpec(only(objects, 'StatefulSet')).volumes).toContainEqual({
      name: 'init',
      configMap: {
        name: 'acme-postgres',
        defaultMode: 0o555,
        items: [{ key: 'init-helpdesk.sh', path: 'init-helpdesk.sh' }],
      },
    })
  })

  it('reads max_connections and the configured parameters from its ConfigMap, rolling on change', () => {
    const objects = postgres()
    const data = only(objects, 'ConfigMap').data as Record<string, string>
    expect(data['helpdesk.conf']).toBe("max_connections = 200\nshared_buffers = '256MB'\n")
    expect(data['postgresql.conf']).toContain(
      "include_if_exists = '/var/lib/postgresql/data/pgdata/postgresql.conf'",
    )
    expect(container(only(objects, 'StatefulSet')).args).toEqual([
      '-c',
      'config_file=/etc/postgresql/conf/postgresql.conf',
    ])
    const checksum = (statefulSet: KubeObject) =>
      (statefulSet.spec as { template: { metadata: { annotations: Record<string, string> } } })
        .template.metadata.annotations['checksum/config']
    expect(checksum(only(postgres({ maxConnections: 300 }), 'StatefulSet'))).not.toBe(
      checksum(only(objects, 'StatefulSet')),
    )
  })

  it('probes start-up, liveness (TCP) and readiness (pg_isready) differently', () => {
    const server = container(only(postgres(), 'StatefulSet'))
    expect(server.startupProbe).toMatchObject({
      exec: { command: expect.arrayContaining(['pg_isready']) },
    })
    expect(server.livenessProbe).toMatchObject({ tcpSocket: { port: 5432 } })
    expect(server.readinessProbe).toMatchObject({
      exec: { command: expect.arrayContaining(['pg_isready']) },
    })
  })

  it('takes TLS from the Secret, with a key file Postgres accepts, and reloads renewed certificates', () => {
    const statefulSet = only(postgres({ tlsSecretName: 'acme-postgres-tls' }), 'StatefulSet')
    expect(container(statefulSet).args).toEqual(
      expect.arrayContaining(['ssl=on', 'ssl_cert_file=/etc/postgresql/tls/tls.crt']),
    )
    expect(podSpec(statefulSet).volumes).toContainEqual({
      name: 'tls',
      secret: { secretName: 'acme-postgres-tls', defaultMode: 0o640 },
    })
    const reloader = podSpec(statefulSet).containers.find(
      (candidate) => candidate.name === 'certificate-reloader',
    )
    expect(reloader?.command?.join(' ')).toContain('SELECT pg_reload_conf()')
    expect(podSpec(only(postgres(), 'StatefulSet')).containers).toHaveLength(1)
  })

  it('runs the exporter beside the server on its local socket, with a metrics port', () => {
    const objects = postgres({
      exporterImage: 'quay.io/prometheuscommunity/postgres-exporter:v0.17.1',
    })
    const exporter = container(only(objects, 'StatefulSet'), 1)
    expect(exporter).toMatchObject({
      name: 'metrics',
      ports: [{ containerPort: 9187, name: 'metrics' }],
    })
    expect(envOf(exporter).DATA_SOURCE_NAME).toContain('host=/var/run/postgresql')
    expect(only(objects, 'Service').spec).toMatchObject({
      ports: expect.arrayContaining([expect.objectContaining({ name: 'metrics', port: 9187 })]),
    })
  })

  it('shuts down fast instead of waiting for every client', () => {
    expect(container(only(postgres(), 'StatefulSet')).lifecycle).toMatchObject({
      preStop: { exec: { command: expect.arrayContaining(['pg_ctl', 'stop', '--mode=fast']) } },
    })
  })
})

describe('Redis', () => {
  const redis = (changes: Partial<ConstructorParameters<typeof Redis>[2]> = {}) =>
    only(
      synth((chart) => {
        new Redis(chart, 'redis', {
          ...managed,
          image: 'docker.io/library/redis:7',
          storage: '2Gi',
          passwordSecretName: 'acme-redis-auth',
          appendOnly: { enabled: false, fsync: 'everysec' },
          ...changes,
        })
      }),
      'StatefulSet',
    )

  it('snapshots RDB as the seed says and takes its password from the environment', () => {
    const statefulSet = redis()
    const args = container(statefulSet).args as string[]
    expect(RDB_SAVE_POINTS).toEqual(['900 1', '300 10', '60 10000'])
    for (const point of RDB_SAVE_POINTS) expect(args.join(' ')).toContain(`--save ${point}`)
    expect(args).toEqual(
      expect.arrayContaining(['--requirepass', '$(REDIS_PASSWORD)', '--appendonly', 'no']),
    )
    expect(podSpec(statefulSet).securityContext).toMatchObject({ runAsUser: 999 })
  })

  it('logs every write when append-only persistence is on', () => {
    const args = (
      container(redis({ appendOnly: { enabled: true, fsync: 'always' } })).args as string[]
    ).join(' ')
    expect(args).toContain('--appendonly yes --appendfsync always')
  })

  it('is live while its port answers and ready while it answers PING', () => {
    const server = container(redis())
    expect(server.livenessProbe).toMatchObject({ tcpSocket: { port: 6379 } })
    expect(
      (server.readinessProbe as { exec: { command: string[] } }).exec.command.join(' '),
    ).toContain('redis-cli -h 127.0.0.1 -p 6379 ping')
    const tls = container(redis({ tlsSecretName: 'acme-redis-tls' }))
    expect(
      (tls.readinessProbe as { exec: { command: string[] } }).exec.command.join(' '),
    ).toContain('--tls --insecure')
  })
})

describe('Migrations', () => {
  const migrations = (image: string) =>
    only(
      synth((chart) => {
        new Migrations(chart, 'migrations', {
          image,
          version: '0.1.0',
          environment: { DATABASE_HOST: 'acme-postgres' },
          secretEnvironment: [],
        })
      }),
      'Job',
    )

  it('is an ordinary Job (no Helm hook) named after its pod template', () => {
    const job = migrations('ghcr.io/helpdesk/api:0.1.0')
    expect(job.metadata.annotations ?? {}).not.toHaveProperty('helm.sh/hook')
    expect(job.metadata.name).toMatch(/^acme-migrations-[0-9a-f]{10}$/)
    expect(container(job).args).toEqual(['migrate'])
    expect(migrations('ghcr.io/helpdesk/api:0.2.0').metadata.name).not.toBe(job.metadata.name)
  })
})

describe('Minio', () => {
  it('creates its bucket with `helpdesk create-bucket` from a Job named after the bucket and its settings', () => {
    const objects = (bucket: string) =>
      synth((chart) => {
        new Minio(chart, 'minio', {
          ...managed,
          image: 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z',
          bucket,
          storage: '10Gi',
          credentialsSecretName: 'acme-minio-auth',
          bucketJobImage: 'ghcr.io/helpdesk/api:0.1.0',
          bucketConnection: {
            environment: { S3_BUCKET: bucket, S3_ENDPOINT: 'http://acme-minio:9000' },
            secretEnvironment: [
              {
                name: 'AWS_ACCESS_KEY_ID',
                secretName: 'acme-minio-auth',
                key: 'AWS_ACCESS_KEY_ID',
              },
            ],
            secretFiles: [],
          },
        })
      })
    const job = only(objects('attachments'), 'Job')
    expect(container(job).image).toBe('ghcr.io/helpdesk/api:0.1.0')
    expect(container(job).args).toEqual(['create-bucket'])
    expect(envOf(container(job))).toMatchObject({
      S3_BUCKET: 'attachments',
      S3_ENDPOINT: 'http://acme-minio:9000',
    })
    expect(only(objects('other'), 'Job').metadata.name).not.toBe(job.metadata.name)
  })
})

describe('Routing', () => {
  const routing = (changes: Partial<RoutingProps> = {}) =>
    synth((chart) => {
      new Routing(chart, 'routing', {
        version: '0.1.0',
        host: 'help.acme.example',
        ingressClassName: 'nginx',
        tlsSecretName: 'acme-tls',
        rateLimitPerSecond: 20,
        maxBodySize: '30m',
        ...changes,
      })
    })

  it('routes /api to the API and the rest to the web app, over TLS, with low-risk annotations only', () => {
    const ingress = only(routing(), 'Ingress')
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['help.acme.example'], secretName: 'acme-tls' }],
      rules: [
        {
          host: 'help.acme.example',
          http: {
            paths: [
              {
                path: '/api',
                pathType: 'Prefix',
                backend: { service: { name: 'acme-api', port: { number: 8080 } } },
              },
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'acme-web', port: { number: 8080 } } },
              },
            ],
          },
        },
      ],
    })
    expect(ingress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/proxy-body-size': '30m',
      'nginx.ingress.kubernetes.io/limit-rps': '20',
    })
  })

  it('lets configured annotations win over computed ones', () => {
    const ingress = only(
      routing({ annotations: { 'nginx.ingress.kubernetes.io/limit-rps': '5' } }),
      'Ingress',
    )
    expect(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/limit-rps']).toBe('5')
  })

  it('attaches an HTTPRoute to the Gateways instead', () => {
    const objects = routing({ gatewayParents: [{ name: 'public', namespace: 'gateways' }] })
    expect(objects.map((object) => object.kind)).toEqual(['HTTPRoute'])
    expect(objects[0]?.spec).toMatchObject({
      parentRefs: [{ name: 'public', namespace: 'gateways' }],
      hostnames: ['help.acme.example'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
          backendRefs: [{ name: 'acme-api', port: 8080 }],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: 'acme-web', port: 8080 }],
        },
      ],
    })
  })
})

describe('NetworkPolicies', () => {
  const policies = (changes: Partial<NetworkPoliciesProps> = {}) =>
    synth((chart) => {
      new NetworkPolicies(chart, 'network-policies', {
        version: '0.1.0',
        ingressFrom: [],
        database: 'managed',
        redis: 'managed',
        attachments: 'minio',
        backups: false,
        ingressNginx: false,
        metricsFrom: [],
        exporters: [],
        ...changes,
      })
    })
  const spec = (objects: KubeObject[], name: string) =>
    only(objects, 'NetworkPolicy', name).spec as { ingress?: unknown[]; egress?: unknown[] }
  const component = (name: string) => ({
    podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': name }) },
  })

  it('denies everything of the instance by default', () => {
    expect(spec(policies(), 'acme-default-deny')).toEqual({
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/part-of': 'helpdesk',
          'app.kubernetes.io/instance': 'acme',
        },
      },
      policyTypes: ['Ingress', 'Egress'],
    })
  })

  it('allows the seed port table: clients to web and api, api to Postgres and Redis, DNS', () => {
    const objects = policies()
    const api = spec(objects, 'acme-api')
    expect(api.ingress).toContainEqual({ from: [], ports: [{ port: 8080, protocol: 'TCP' }] })
    expect(api.egress).toEqual(
      expect.arrayContaining([
        { to: [component('postgres')], ports: [{ port: 5432, protocol: 'TCP' }] },
        { to: [component('redis')], ports: [{ port: 6379, protocol: 'TCP' }] },
        {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ]),
    )
    expect(spec(objects, 'acme-web').egress).toContainEqual({
      to: [component('api')],
      ports: [{ port: 8080, protocol: 'TCP' }],
    })
    expect(spec(objects, 'acme-postgres').ingress).toEqual([
      {
        from: [component('api'), component('migrations'), component('backup')],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
    ])
    expect(spec(objects, 'acme-redis').ingress).toEqual([
      { from: [component('api')], ports: [{ port: 6379, protocol: 'TCP' }] },
    ])
  })

  it("lets the metrics namespace scrape the API's metrics port and the exporters, nobody else", () => {
    const prometheus = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mon' } },
    }
    const objects = policies({ metricsFrom: [prometheus], exporters: ['postgres', 'redis'] })
    const scrape = (port: number) => ({ from: [prometheus], ports: [{ port, protocol: 'TCP' }] })
    expect(spec(objects, 'acme-api').ingress).toContainEqual(scrape(9464))
    expect(spec(objects, 'acme-postgres').ingress).toContainEqual(scrape(9187))
    expect(spec(objects, 'acme-redis').ingress).toContainEqual(scrape(9121))
    expect(
      JSON.stringify(spec(policies({ metricsFrom: [prometheus] }), 'acme-postgres')),
    ).not.toContain('9187')
    expect(JSON.stringify(spec(policies(), 'acme-api'))).not.toContain('9464')
  })

  it('opens egress to external services and S3 instead of in-cluster ones', () => {
    const objects = policies({ database: { port: 6432 }, redis: { port: 6380 }, attachments: 's3' })
    expect(objects.map((object) => object.metadata.name)).not.toContain('acme-postgres')
    expect(spec(objects, 'acme-api').egress).toEqual(
      expect.arrayContaining([
        { ports: [{ port: 6432, protocol: 'TCP' }] },
        { ports: [{ port: 6380, protocol: 'TCP' }] },
        { ports: [{ port: 443, protocol: 'TCP' }] },
      ]),
    )
  })
})

describe('BackupSchedule', () => {
  const schedule = (verifySchedule?: string) =>
    synth((chart) => {
      new BackupSchedule(chart, 'backup', {
        image: 'ghcr.io/helpdesk/api:0.1.0',
        version: '0.1.0',
        connection: {
          environment: { DATABASE_HOST: 'acme-postgres' },
          secretEnvironment: [
            { name: 'DATABASE_PASSWORD', secretName: 'acme-postgres-auth', key: 'password' },
          ],
          secretFiles: [],
        },
        target: {
          bucket: 'backups',
          region: 'eu-west-1',
          forcePathStyle: false,
          credentialsSecretName: 'backup-s3',
          serverSideEncryption: 'AES256',
          manageLifecycle: false,
        },
        keyringSecretName: 'backup-keys',
        serviceAccountName: 'acme-backup',
        schedule: '0 2 * * *',
        retention: { daily: 30, monthly: 12 },
        verifySchedule,
      })
    })

  it('backs up nightly, then applies the GFS retention, never two at once', () => {
    const cronJob = only(schedule(), 'CronJob')
    expect(cronJob.spec).toMatchObject({ schedule: '0 2 * * *', concurrencyPolicy: 'Forbid' })
    const pod = podSpec(cronJob)
    expect(pod.initContainers?.map((step) => step.args)).toEqual([['backup', '--tier', 'daily']])
    expect(pod.containers.map((step) => step.args)).toEqual([
      ['prune', '--daily', '30', '--monthly', '12'],
    ])
    expect(envOf(pod.initContainers?.[0] as never)).toMatchObject({
      BACKUP_S3_BUCKET: 'backups',
      BACKUP_S3_REGION: 'eu-west-1',
      BACKUP_KEYRING_DIR: '/etc/helpdesk/backup-keys',
      BACKUP_RESULT_FILE: '/dev/termination-log',
      DATABASE_HOST: 'acme-postgres',
    })
    expect(pod.volumes).toContainEqual({
      name: 'backup-keys',
      secret: { secretName: 'backup-keys', defaultMode: 0o440 },
    })
  })

  it('adds the restore drill when it has a schedule', () => {
    const drills = schedule('0 4 * * 0').filter(
      (object) => object.metadata.name === 'acme-backup-verify',
    )
    expect(drills.map((drill) => container(drill).args)).toEqual([['verify']])
    expect(schedule().map((object) => object.metadata.name)).toEqual(['acme-backup'])
  })
})

describe('IngressNginx', () => {
  it('listens unprivileged, refuses snippets, and names cluster objects after the namespace', () => {
    const objects = synth((chart) => {
      new IngressNginx(chart, 'ingress-nginx', {
        image: 'registry.k8s.io/ingress-nginx/controller:v1.13.3',
        replicas: 1,
        version: '0.1.0',
      })
    })
    expect(only(objects, 'ConfigMap').data).toMatchObject({
      'allow-snippet-annotations': 'false',
      'annotations-risk-level': 'Medium',
    })
    expect(only(objects, 'IngressClass').metadata.name).toBe('support-acme-nginx')
    expect(only(objects, 'ClusterRole').metadata.name).toBe('support-acme-ingress-nginx')
    const controller = container(only(objects, 'Deployment'))
    expect(controller.args).toEqual(
      expect.arrayContaining([
        '--http-port=8080',
        '--https-port=8443',
        '--watch-namespace=$(POD_NAMESPACE)',
      ]),
    )
    expect(controller.securityContext).toMatchObject({
      capabilities: { drop: ['ALL'] },
      allowPrivilegeEscalation: false,
    })
  })
})

describe('GeneratedSecret', () => {
  const secret = (managedBy: string) =>
    only(
      synth(
        (chart) => {
          new GeneratedSecret(chart, 'secret', {
            name: 'acme-redis-auth',
            component: 'redis',
            version: '0.1.0',
            keys: { password: 32 },
          })
        },
        { managedBy },
      ),
      'Secret',
    )

  it('marks generated values, and keeps them on helm uninstall where data depends on them', () => {
    const helm = secret('Helm')
    expect(helm.metadata.annotations).toEqual({
      'helpdesk.dev/generated': 'true',
      'helm.sh/resource-policy': 'keep',
    })
    expect(helm.data).toEqual({
      password: Buffer.from('acme-redis-auth/password').toString('base64'),
    })
    expect(secret('helpdesk-operator').metadata.annotations).toEqual({
      'helpdesk.dev/generated': 'true',
    })
  })
})
