// The three CRDs of docs/custom-resources.md, generated from the zod schemas.
import type { z } from 'zod'
import { MAX_INSTANCE_NAME_LENGTH } from '../defaults.ts'
import type { KubeObject } from '../render/kube-object.ts'
import { crdSchema, type JSONSchemaProps } from '../schema/crd-schema.ts'
import { helpdeskSpecSchema } from '../schema/helpdesk.ts'
import {
  helpdeskBackupSpecSchema,
  helpdeskBackupStatusSchema,
  helpdeskRestoreSpecSchema,
  helpdeskRestoreStatusSchema,
  helpdeskStatusSchema,
} from '../schema/resources.ts'

export const HELPDESK_GROUP = 'helpdesk.dev'
export const HELPDESK_VERSION_NAME = 'v1alpha1'
export const HELPDESK_API_VERSION = `${HELPDESK_GROUP}/${HELPDESK_VERSION_NAME}`

interface PrinterColumn {
  name: string
  type: 'string' | 'integer' | 'date'
  jsonPath: string
  priority?: number
}

interface KindDefinition {
  kind: string
  plural: string
  shortNames?: string[]
  spec: z.ZodType
  status: z.ZodType
  columns: PrinterColumn[]
  /** Extra rules on the whole object (CEL can read metadata.name there). */
  rules?: { rule: string; message: string }[]
  /** A record of something that happened: its spec never changes after creation. */
  immutableSpec?: boolean
}

const condition = (type: string) => `.status.conditions[?(@.type=="${type}")].status`
const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }

const KINDS: KindDefinition[] = [
  {
    kind: 'Helpdesk',
    plural: 'helpdesks',
    shortNames: ['hd'],
    spec: helpdeskSpecSchema,
    status: helpdeskStatusSchema,
    columns: [
      { name: 'Ready', type: 'string', jsonPath: condition('Ready') },
      { name: 'Version', type: 'string', jsonPath: '.status.version' },
      { name: 'URL', type: 'string', jsonPath: '.status.url' },
      { name: 'Last backup', type: 'date', jsonPath: '.status.backups.lastSuccessful.completedAt' },
      age,
    ],
    // Every object of an instance is named <name>-<component>: keep the names valid.
    rules: [
      {
        rule: `self.metadata.name.size() <= ${MAX_INSTANCE_NAME_LENGTH} && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')`,
        message: `metadata.name must be a DNS label of at most ${MAX_INSTANCE_NAME_LENGTH} characters`,
      },
    ],
  },
  {
    kind: 'HelpdeskBackup',
    plural: 'helpdeskbackups',
    immutableSpec: true,
    spec: helpdeskBackupSpecSchema,
    status: helpdeskBackupStatusSchema,
    columns: [
      { name: 'Helpdesk', type: 'string', jsonPath: '.spec.helpdeskRef.name' },
      { name: 'Succeeded', type: 'string', jsonPath: condition('Succeeded') },
      { name: 'Tier', type: 'string', jsonPath: '.status.tier' },
      { name: 'Size', type: 'integer', jsonPath: '.status.sizeBytes' },
      { name: 'Completed', type: 'date', jsonPath: '.status.completedAt' },
      age,
    ],
  },
  {
    kind: 'HelpdeskRestore',
    plural: 'helpdeskrestores',
    immutableSpec: true,
    spec: helpdeskRestoreSpecSchema,
    status: helpdeskRestoreStatusSchema,
    columns: [
      { name: 'Helpdesk', type: 'string', jsonPath: '.spec.helpdeskRef.name' },
      { name: 'Mode', type: 'string', jsonPath: '.spec.mode' },
      { name: 'Succeeded', type: 'string', jsonPath: condition('Succeeded') },
      { name: 'Progressing', type: 'string', jsonPath: condition('Progressing') },
      age,
    ],
  },
]

function immutable(schema: JSONSchemaProps, kind: string): JSONSchemaProps {
  const rules = (schema['x-kubernetes-validations'] as unknown[] | undefined) ?? []
  return {
    ...schema,
    'x-kubernetes-validations': [
      ...rules,
      { rule: 'self == oldSelf', message: `spec is immutable: create a new ${kind} instead` },
    ],
  }
}

/** The CustomResourceDefinitions of Helpdesk, HelpdeskBackup and HelpdeskRestore. */
export function helpdeskCrds(): KubeObject[] {
  return KINDS.map(crd)
}

function crd(definition: KindDefinition): KubeObject {
  const schema: JSONSchemaProps = {
    type: 'object',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: definition.immutableSpec
        ? immutable(crdSchema(definition.spec), definition.kind)
        : crdSchema(definition.spec),
      status: crdSchema(definition.status),
    },
    ...(definition.rules ? { 'x-kubernetes-validations': definition.rules } : {}),
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${definition.plural}.${HELPDESK_GROUP}`,
      labels: {
        'app.kubernetes.io/name': 'helpdesk-operator',
        'app.kubernetes.io/part-of': 'helpdesk',
      },
    },
    spec: {
      group: HELPDESK_GROUP,
      scope: 'Namespaced',
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.kind.toLowerCase(),
        ...(definition.shortNames ? { shortNames: definition.shortNames } : {}),
        // `kubectl get helpdesk-all` lists every kind; a category must not be a name kubectl
        // also resolves, or `kubectl get helpdesk NAME` expands it and fails.
        categories: ['helpdesk-all'],
      },
      versions: [
        {
          name: HELPDESK_VERSION_NAME,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: definition.columns,
          schema: { openAPIV3Schema: schema },
        },
      ],
    },
  }
}
