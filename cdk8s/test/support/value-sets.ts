// Named value sets for charts/helpdesk: the matrix plus one that switches on
// everything optional.

const backup = {
  s3: {
    bucket: 'helpdesk-backups',
    region: 'eu-west-1',
    prefix: 'acme',
    credentialsSecretRef: { name: 'backup-s3' },
  },
  encryptionKeySecretRef: { name: 'backup-keys' },
}

export const VALUE_SETS: Record<string, Record<string, unknown>> = {
  defaults: {},
  external: {
    host: 'help.acme.example',
    database: {
      external: {
        host: 'postgres.db.example',
        port: 6432,
        passwordSecretRef: { name: 'helpdesk-db', key: 'pw' },
        sslMode: 'verify-full',
        caSecretRef: { name: 'db-ca' },
      },
    },
    redis: {
      external: {
        host: 'redis.cache.example',
        tls: true,
        passwordSecretRef: { name: 'helpdesk-redis' },
      },
    },
    storage: {
      s3: {
        bucket: 'acme-attachments',
        region: 'eu-central-1',
        endpoint: 'https://s3.eu-central-1.amazonaws.com',
      },
    },
    // No static keys: IRSA gives the pods their AWS identity.
    api: {
      serviceAccount: {
        annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/helpdesk' },
      },
    },
  },
  gateway: {
    host: 'help.acme.example',
    ingress: {
      gateway: { parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }] },
    },
  },
  'hpa-off': {
    api: { autoscaling: { enabled: false }, replicas: { min: 3, max: 3 } },
    web: { autoscaling: { enabled: false }, replicas: { min: 2, max: 2 } },
  },
  minimal: {
    api: { autoscaling: { enabled: false }, replicas: { min: 1, max: 1 } },
    web: { autoscaling: { enabled: false }, replicas: { min: 1, max: 1 } },
    networkPolicy: { enabled: false },
  },
  everything: {
    global: { imageRegistry: 'mirror.acme.example', imagePullSecrets: [{ name: 'mirror' }] },
    commonLabels: { 'acme.example/team': 'support' },
    commonAnnotations: { 'acme.example/owner': 'platform' },
    host: 'help.acme.example',
    images: {
      pullPolicy: 'Always',
      pullSecrets: [{ name: 'registry' }],
      postgres: { digest: `sha256:${'a'.repeat(64)}` },
    },
    api: {
      corsOrigins: ['https://app.acme.example', 'https://www.acme.example'],
      logLevel: 'debug',
      bootstrapAdmin: { email: 'ops@acme.example', existingSecret: 'helpdesk-admin' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'helpdesk', effect: 'NoSchedule' },
      ],
      priorityClassName: 'helpdesk-high',
      podLabels: { 'acme.example/tier': 'api' },
      extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy.acme.example:3128' }],
      extraVolumes: [{ name: 'corporate-ca', configMap: { name: 'corporate-ca' } }],
      extraVolumeMounts: [
        { name: 'corporate-ca', mountPath: '/etc/ssl/corporate', readOnly: true },
      ],
      podDisruptionBudget: { maxUnavailable: '25%' },
    },
    database: {
      managed: {
        storageClassName: 'fast',
        tls: { enabled: true },
        existingSecret: 'pg-auth',
        parameters: ["shared_buffers = '256MB'"],
        metrics: { enabled: true },
        priorityClassName: 'helpdesk-high',
      },
    },
    redis: {
      managed: {
        tls: { enabled: true, secretName: 'redis-cert' },
        appendOnly: { enabled: true },
        metrics: { enabled: true },
      },
    },
    ingress: {
      tls: { mode: 'certManager', issuerRef: { name: 'letsencrypt' } },
      annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'help.acme.example' },
      rateLimitPerSecond: 50,
    },
    backup: {
      ...backup,
      s3: { ...backup.s3, manageLifecycle: true },
      verify: { schedule: '0 5 1 * *' },
      serviceAccount: {
        annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/backups' },
      },
    },
    networkPolicy: {
      ingressFrom: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } },
      ],
      extraEgress: [{ ports: [{ port: 587, protocol: 'TCP' }] }],
    },
    monitoring: {
      serviceMonitor: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } },
      prometheusRule: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } },
      grafanaDashboard: { enabled: true },
    },
    ingressNginx: { enabled: true, replicas: 2 },
  },
}
