import { describe, expect, it } from '@jest/globals'
import { type KubeObject, renderHelpdesk } from '../src/index.ts'

const spec = { host: 'help.acme.example' }

function names(objects: KubeObject[]): string[] {
  return objects.map((object) => `${object.kind}/${object.metadata.name}`)
}

describe('renderHelpdesk', () => {
  it('names every object <instance>-<component> and labels it for the operator', () => {
    const objects = renderHelpdesk({ name: 'acme', namespace: 'support', spec })
    for (const object of objects) {
      expect(object.metadata.name).toMatch(/^acme-/)
      expect(object.metadata.namespace).toBe('support')
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/instance': 'acme',
        'app.kubernetes.io/managed-by': 'helpdesk-operator',
        'app.kubernetes.io/part-of': 'helpdesk',
      })
    }
    expect(names(objects)).toEqual(
      expect.arrayContaining([
        'Deployment/acme-api',
        'Deployment/acme-web',
        'StatefulSet/acme-postgres',
      ]),
    )
  })

  it('switches to external Postgres, Redis and S3', () => {
    const objects = renderHelpdesk({
      name: 'acme',
      namespace: 'support',
      spec: {
        ...spec,
        database: {
          external: { host: 'db.example', passwordSecretRef: { name: 'db' } },
        },
        redis: { external: { host: 'redis.example' } },
        storage: { s3: { bucket: 'attachments', credentialsSecretRef: { name: 's3' } } },
      },
    })
    expect(names(objects).filter((name) => name.startsWith('StatefulSet/'))).toEqual([])
  })

  it('refuses an invalid spec with the field at fault', () => {
    expect(() =>
      renderHelpdesk({
        name: 'acme',
        namespace: 'support',
        spec: { ...spec, api: { replicas: { min: 5, max: 2 } } },
      }),
    ).toThrow(/replicas.min must not exceed replicas.max/)
  })
})
