// The one schema and what is generated from it: TypeScript defaults, values.yaml,
// values.schema.json and the CRD's structural schema agree.
import { describe, expect, it } from '@jest/globals'
import { helpdeskCrds } from '../src/charts/crds.ts'
import { valuesJsonSchema } from '../src/helm/values-files.ts'
import { goJson } from '../src/render/canonical-json.ts'
import { chartDefaults } from '../src/render/values.ts'
import { applyDerivedDefaults } from '../src/schema/derived.ts'
import { helpdeskSpecSchema, helpdeskValuesSchema } from '../src/schema/helpdesk.ts'
import { dig } from './support/json.ts'

type Schema = Record<string, unknown>

function walk(node: unknown, visit: (node: Schema, path: string) => void, path = ''): void {
  if (!node || typeof node !== 'object') return
  visit(node as Schema, path)
  for (const [key, child] of Object.entries(node)) walk(child, visit, `${path}/${key}`)
}

describe('the Helpdesk spec schema', () => {
  it('defaults a spec to the full stack with operator-managed TLS', () => {
    expect(helpdeskSpecSchema.parse({ host: 'help.acme.example' })).toMatchObject({
      version: '0.1.0',
      api: { replicas: { min: 2, max: 10 }, resources: { limits: { cpu: '1', memory: '512Mi' } } },
      database: { managed: { storage: '20Gi', tls: { enabled: true } } },
      redis: { managed: { storage: '2Gi', tls: { enabled: true } } },
      storage: { minio: { bucket: 'attachments' } },
      ingress: { className: 'nginx', tls: { mode: 'operator' } },
      certificates: { duration: '2160h', renewBefore: '720h' },
    })
  })

  it('defaults chart values to what works without the operator', () => {
    const values = applyDerivedDefaults(helpdeskValuesSchema, helpdeskValuesSchema.parse({}))
    expect(values).toMatchObject({
      host: 'helpdesk.local',
      database: { managed: { tls: { enabled: false } } },
      ingress: { tls: { mode: 'secret' } },
      ingressNginx: { enabled: false },
    })
  })

  it('turns Postgres and Redis TLS on whenever cert-manager can issue certificates', () => {
    const parse = (values: Record<string, unknown>) =>
      applyDerivedDefaults(helpdeskValuesSchema, helpdeskValuesSchema.parse(values))
    const certManager = { ingress: { tls: { mode: 'certManager', issuerRef: { name: 'le' } } } }
    expect(parse(certManager)).toMatchObject({
      database: { managed: { tls: { enabled: true } } },
      redis: { managed: { tls: { enabled: true } } },
    })
    const optOut = { ...certManager, database: { managed: { tls: { enabled: false } } } }
    expect(parse(optOut).database.managed?.tls.enabled).toBe(false)
  })

  it('refuses a managed Postgres that cannot take every API pool', () => {
    const result = helpdeskValuesSchema.safeParse({
      api: { replicas: { max: 30 }, databasePoolMax: 10 },
    })
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'database.managed.maxConnections must be at least api.replicas.max × api.databasePoolMax + 20',
    ])
    expect(
      helpdeskValuesSchema.safeParse({
        api: { replicas: { max: 30 }, databasePoolMax: 10 },
        database: { managed: { maxConnections: 320 } },
      }).success,
    ).toBe(true)
  })

  it('says which of an exclusive pair to drop', () => {
    const result = helpdeskSpecSchema.safeParse({
      host: 'h.example',
      redis: { managed: {}, external: { host: 'redis.example' } },
    })
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['redis'],
        message: 'set exactly one of managed or external',
      }),
    ])
  })
})

describe('values.yaml', () => {
  it('holds exactly the schema defaults, and switches nothing optional on', () => {
    const defaults = chartDefaults()
    expect(helpdeskValuesSchema.parse(defaults)).toEqual(helpdeskValuesSchema.parse({}))
    expect(Object.keys(defaults)).not.toEqual(expect.arrayContaining(['backup']))
    expect(defaults).not.toHaveProperty('database')
  })
})

describe('values.schema.json', () => {
  const schema = valuesJsonSchema(helpdeskValuesSchema, 'helpdesk')

  it('refuses unknown keys everywhere and carries no helpdesk metadata', () => {
    walk(schema, (node, path) => {
      // Open by design: global is shared with the other charts of an umbrella chart, and a
      // Volume takes any volume source.
      const open = path === '/properties/global' || path.endsWith('/extraVolumes/items')
      if (node.type === 'object' && node.properties && !open)
        expect([path, node.additionalProperties]).toEqual([path, false])
      for (const key of Object.keys(node)) expect(key).not.toMatch(/^x-helpdesk/)
    })
  })

  it('says exclusive groups and forbidden annotation keys as JSON Schema', () => {
    expect(dig(schema, 'properties', 'database')).toMatchObject({
      minProperties: 1,
      maxProperties: 1,
    })
    expect(
      dig(schema, 'properties', 'ingress', 'properties', 'annotations', 'propertyNames'),
    ).toEqual({
      not: { pattern: '[Ss][Nn][Ii][Pp][Pp][Ee][Tt]' },
    })
  })
})

describe('the CRD schema', () => {
  const [helpdesk] = helpdeskCrds()
  const openAPI = dig(helpdesk, 'spec', 'versions', 0, 'schema', 'openAPIV3Schema')
  const spec = (...path: string[]) => dig(openAPI, 'properties', 'spec', 'properties', ...path)

  it('is structural: no additionalProperties: false, quantities as int-or-string', () => {
    walk(openAPI, (node, path) => {
      expect([path, node.additionalProperties]).not.toEqual([path, false])
      for (const key of Object.keys(node))
        expect(key).not.toMatch(/^x-helpdesk|^\$schema|^propertyNames$/)
    })
    expect(
      spec('api', 'properties', 'resources', 'properties', 'limits', 'properties', 'cpu'),
    ).toMatchObject({
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    })
  })

  it('stores complete defaults, so that CEL rules see every field', () => {
    expect(spec('api', 'properties', 'replicas', 'default')).toEqual({ min: 2, max: 10 })
  })
})

describe('goJson', () => {
  it('writes JSON the way Go does (sorted keys, HTML-safe), for hashes Helm computes too', () => {
    expect(goJson({ b: 1, a: '<&>', c: [true, null, 1e21, 0.5] })).toBe(
      '{"a":"\\u003c\\u0026\\u003e","b":1,"c":[true,null,1e+21,0.5]}',
    )
  })
})

describe('the CRDs, as kubectl explain shows them', () => {
  const schemas = helpdeskCrds().map((crd) => {
    const spec = crd.spec as {
      names: { kind: string }
      versions: { schema: { openAPIV3Schema: Schema } }[]
    }
    return [spec.names.kind, spec.versions[0]?.schema.openAPIV3Schema as Schema] as const
  })

  it('describe every field of spec and status', () => {
    const missing: string[] = []
    for (const [kind, schema] of schemas) {
      const root = (schema.properties as Record<string, Schema>) ?? {}
      walk({ properties: { spec: root.spec, status: root.status } }, (node, path) => {
        const properties = (node.properties ?? {}) as Record<string, Schema>
        for (const [name, child] of Object.entries(properties)) {
          if (!child.description) missing.push(`${kind}${path}/${name}`)
        }
      })
    }
    expect(missing).toEqual([])
  })

  it('keep conditions as a map keyed by type, so server-side apply merges them', () => {
    for (const [, schema] of schemas) {
      const conditions = dig(schema, 'properties', 'status', 'properties', 'conditions') as Schema
      expect(conditions).toMatchObject({
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      })
    }
  })

  it('make the specs of HelpdeskBackup and HelpdeskRestore immutable', () => {
    for (const [kind, schema] of schemas) {
      const rules = dig(schema, 'properties', 'spec', 'x-kubernetes-validations') as
        | { rule: string }[]
        | undefined
      const immutable = (rules ?? []).some((rule) => rule.rule === 'self == oldSelf')
      expect([kind, immutable]).toEqual([kind, kind !== 'Helpdesk'])
    }
  })
})
