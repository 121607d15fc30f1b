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
        credentialsSecretRef: { name: 'attachments-s3' },
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
    host: 'help.acme.example',
    images: { pullPolicy: 'Always', pullSecrets: [{ name: 'registry' }] },
    api: {
      corsOrigins: ['https://app.acme.example', 'https://www.acme.example'],
      logLevel: 'debug',
      bootstrapAdmin: { email: 'ops@acme.example', existingSecret: 'helpdesk-admin' },
    },
    database: {
      managed: { storageClassName: 'fast', tls: { enabled: true }, existingSecret: 'pg-auth' },
    },
    redis: { managed: { tls: { enabled: true, secretName: 'redis-cert' } } },
    ingress: {
      tls: { mode: 'certManager', issuerRef: { name: 'letsencrypt' } },
      annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'help.acme.example' },
      rateLimitPerSecond: 50,
    },
    backup: { ...backup, verify: { schedule: '0 5 1 * *' } },
    networkPolicy: {
      ingressFrom: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } },
      ],
      extraEgress: [{ ports: [{ port: 587, protocol: 'TCP' }] }],
    },
    monitoring: { serviceMonitor: { enabled: true }, grafanaDashboard: { enabled: true } },
    ingressNginx: { enabled: true, replicas: 1 },
  },
}
