// Building blocks shared by the Helpdesk spec, the backup resources and the operator chart.
import { z } from 'zod'

export const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label: lowercase letters, digits, -')

export const dnsSubdomain = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a DNS name: lowercase letters, digits, - and .',
  )

/** A Kubernetes resource quantity such as 512Mi, 1 or 250m. */
export const quantity = z.union([
  z
    .string()
    .regex(
      /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|[mkMGTPE]|[KMGTPE]i)?$/,
      'must be a Kubernetes quantity such as 512Mi, 1 or 250m',
    ),
  z.number().int().min(0),
])

export interface ComputeDefaults {
  cpu: string
  memory: string
  /** Scratch space: /tmp and the other emptyDirs, logs. */
  ephemeralStorage: string
}

const computeResources = (defaults: ComputeDefaults, what: string) =>
  z
    .strictObject({
      cpu: quantity.default(defaults.cpu).describe('CPU, e.g. 500m or 1 (a core).'),
      memory: quantity.default(defaults.memory).describe('Memory, e.g. 512Mi.'),
      ephemeralStorage: quantity
        .default(defaults.ephemeralStorage)
        .describe('ephemeral-storage: emptyDirs, logs and the writable layer.'),
    })
    .prefault({})
    .describe(what)

/** Requests and limits of one container, with the component's defaults. */
export function resources(defaults: { requests: ComputeDefaults; limits: ComputeDefaults }) {
  return z
    .strictObject({
      requests: computeResources(
        defaults.requests,
        'What the scheduler reserves for the container (and the HPA measures against).',
      ),
      limits: computeResources(
        defaults.limits,
        'The most the container may use: above the memory limit it is killed, CPU is throttled.',
      ),
    })
    .prefault({})
    .describe('Container requests and limits.')
}

/** Cron schedule in the five-field syntax of CronJob (or a @macro). */
export const cronSchedule = z
  .string()
  .regex(
    /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/,
    'must be a cron schedule with five fields, such as "0 2 * * *"',
  )

export const secretName = dnsSubdomain.describe('Name of a Secret in the same namespace.')

export const secretKeyRef = (defaultKey: string) =>
  z
    .strictObject({
      name: secretName,
      key: z.string().min(1).default(defaultKey).describe('Key in the Secret.'),
    })
    .describe('A key of a Secret in the same namespace.')

export const secretRef = z
  .strictObject({ name: secretName })
  .describe('A Secret in the same namespace.')

/** Metadata key: the CRD keeps this object's unknown fields (a Kubernetes type passed through). */
export const PRESERVE_UNKNOWN_KEY = 'x-kubernetes-preserve-unknown-fields'

/**
 * A Kubernetes object the product passes through as written (affinity, a volume source):
 * the chart's schema and the CRD check its shape no deeper than the API server will.
 */
export const kubernetesObject = z
  .record(z.string(), z.unknown())
  .meta({ [PRESERVE_UNKNOWN_KEY]: true })

/** Labels, annotations, node selectors. */
export const stringMap = z.record(z.string(), z.string())

/** A duration in Go's syntax as cert-manager and metav1.Duration use it: 2160h, 90m. */
export const goDuration = z
  .string()
  .regex(/^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$/, 'must be a duration such as 2160h or 30m')

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
  .describe('Least severe level that is logged (JSON lines on stdout).')

export const imagePullPolicy = z
  .enum(['Always', 'IfNotPresent', 'Never'])
  .describe('imagePullPolicy of every container.')

// The distribution reference grammar, simplified: [registry[:port]/]path, path components
// separated by /, each lowercase alphanumerics joined by ., _, __ or dashes.
const REGISTRY =
  '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?'
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const REPOSITORY = `(?:${REGISTRY}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`

/** An image reference without tag: registry/repository. */
export const imageRepository = z
  .string()
  .max(255)
  .regex(new RegExp(`^${REPOSITORY}$`), {
    message: 'must be an image repository such as ghcr.io/helpdesk/api (no tag)',
  })

/** A complete image reference with tag or digest. */
export const imageReference = z
  .string()
  .max(255)
  .regex(new RegExp(`^${REPOSITORY}(?::[\\w][\\w.-]{0,127}|@sha256:[0-9a-f]{64})$`), {
    message:
      'must be an image reference with a tag or digest, such as docker.io/library/postgres:15',
  })

/** A storage size such as 20Gi. */
export const storageSize = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?([KMGTPE]i?)$/, 'must be a storage size such as 20Gi')

/** Patterns are kept RE2-compatible: the CRD's openAPIV3Schema uses them too. */
export const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/?#]+(\/[^\s]*)?$/, 'must be an http(s) URL')

export const httpOrigin = z
  .string()
  .regex(/^https?:\/\/[^\s/?#]+$/, 'must be an origin such as https://app.example.com')

export const emailAddress = z
  .string()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address')

const labelSelector = (what: string) =>
  z
    .strictObject({
      matchLabels: z
        .record(z.string(), z.string())
        .optional()
        .describe('Labels that must all match.'),
      matchExpressions: z
        .array(
          z.strictObject({
            key: z.string().min(1).describe('The label key.'),
            operator: z
              .enum(['In', 'NotIn', 'Exists', 'DoesNotExist'])
              .describe('How the key relates to the values.'),
            values: z
              .array(z.string())
              .optional()
              .describe('Values for In and NotIn; empty for Exists and DoesNotExist.'),
          }),
        )
        .optional()
        .describe('Requirements that must all hold.'),
    })
    .describe(what)

export const networkPolicyPeer = z
  .strictObject({
    podSelector: labelSelector('Pods (in the namespaces selected, or this one).').optional(),
    namespaceSelector: labelSelector('Namespaces.').optional(),
    ipBlock: z
      .strictObject({
        cidr: z.string().min(1).describe('A CIDR such as 10.0.0.0/8.'),
        except: z.array(z.string().min(1)).optional().describe('CIDRs inside cidr to leave out.'),
      })
      .optional()
      .describe('Addresses outside the cluster.'),
  })
  .describe('A NetworkPolicyPeer (networking.k8s.io/v1).')

export const networkPolicyEgressRule = z
  .strictObject({
    to: z
      .array(networkPolicyPeer)
      .optional()
      .describe('Destinations; none means every destination.'),
    ports: z
      .array(
        z.strictObject({
          protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional().describe('Default TCP.'),
          port: z
            .union([z.number().int().min(1).max(65535), z.string().min(1)])
            .optional()
            .describe('A port number or a named port.'),
          endPort: z
            .number()
            .int()
            .min(1)
            .max(65535)
            .optional()
            .describe('The last port of a range starting at port.'),
        }),
      )
      .optional()
      .describe('Ports; none means every port.'),
  })
  .describe('A NetworkPolicyEgressRule (networking.k8s.io/v1).')
