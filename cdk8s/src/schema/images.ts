// Where every image comes from: registry, repository, tag and an optional digest per image,
// so that a platform team can mirror each one and pin it. `global.imageRegistry` (chart
// values) replaces every registry at once.
import { z } from 'zod'
import { HELPDESK_VERSION, IMAGES, type ImageDefaults } from '../defaults.ts'
import { imagePullPolicy, secretName } from './common.ts'

// The distribution reference grammar, simplified: [registry[:port]/]path, path components
// separated by /, each lowercase alphanumerics joined by ., _, __ or dashes.
const REGISTRY =
  '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?'
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'

export const registryHost = z
  .string()
  .max(255)
  .regex(new RegExp(`^${REGISTRY}$`), 'must be a registry host such as ghcr.io or mirror:5000')

const repository = z
  .string()
  .max(255)
  .regex(
    new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`),
    'must be a repository path such as library/postgres (the registry goes into `registry`)',
  )

export const imageTag = z
  .string()
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,127}$/, 'must be an image tag such as 15 or v1.2.3')

const digest = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'must be a digest such as sha256:<64 hex digits>')
  .optional()
  .describe('Pins the image: sha256:<64 hex digits>. The tag stays in the reference for readers.')

/** One image; `tagged: false` for our own images, whose tag is the product version. */
export function imageSettings(defaults: ImageDefaults, tagged = true) {
  return z
    .strictObject({
      registry: registryHost
        .default(defaults.registry)
        .describe('Registry host; global.imageRegistry, when set, replaces it.'),
      repository: repository
        .default(defaults.repository)
        .describe('Repository path inside the registry.'),
      ...(tagged
        ? { tag: imageTag.default(defaults.tag ?? HELPDESK_VERSION).describe('Image tag.') }
        : {}),
      digest,
    })
    .prefault({})
}

/** The product's images and the services it runs; the api and web tag is `version`. */
export const imagesSchema = z
  .strictObject({
    api: imageSettings(IMAGES.api, false).describe(
      'The API image (also runs migrations and backups).',
    ),
    web: imageSettings(IMAGES.web, false).describe('The web image (nginx with the SPA).'),
    postgres: imageSettings(IMAGES.postgres).describe('Postgres 15 (database.managed).'),
    redis: imageSettings(IMAGES.redis).describe(
      'Redis 7 (redis.managed). Valkey 7.2+ is a drop-in: registry docker.io, repository valkey/valkey, tag 8.',
    ),
    minio: imageSettings(IMAGES.minio).describe('MinIO (storage.minio).'),
    ingressNginx: imageSettings(IMAGES.ingressNginx).describe('ingress-nginx (ingressNginx).'),
    postgresExporter: imageSettings(IMAGES.postgresExporter).describe(
      'The Prometheus Postgres exporter (database.managed.metrics).',
    ),
    redisExporter: imageSettings(IMAGES.redisExporter).describe(
      'The Prometheus Redis exporter (redis.managed.metrics).',
    ),
    pullPolicy: imagePullPolicy.default('IfNotPresent'),
    pullSecrets: z
      .array(z.strictObject({ name: secretName }))
      .default([])
      .describe('imagePullSecrets for every pod.'),
  })
  .prefault({})
  .describe('Where every image comes from.')

export type ImageSettings = z.output<ReturnType<typeof imageSettings>>

/** registry/repository:tag[@digest] */
export function imageReference(image: ImageSettings, tag?: string): string {
  const reference = `${image.registry}/${image.repository}:${tag ?? (image as { tag: string }).tag}`
  return image.digest === undefined ? reference : `${reference}@${image.digest}`
}
