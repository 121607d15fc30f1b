// The images the cluster tier's node gets: ours, as `make images` tags them, and stand-ins for
// the third-party images the charts name, built by images/scripts/build-stand-ins.sh under
// those same names (no registry can be pulled here).
import { HELPDESK_VERSION, IMAGES, imageReference } from '@helpdesk/cdk8s'

export const PRODUCT_IMAGES = {
  api: imageReference(IMAGES.api, HELPDESK_VERSION),
  web: imageReference(IMAGES.web, HELPDESK_VERSION),
  operator: imageReference(IMAGES.operator, HELPDESK_VERSION),
}

/** build-stand-ins.sh roles → the names the charts use. */
export const STAND_INS = {
  postgres: imageReference(IMAGES.postgres),
  redis: imageReference(IMAGES.redis),
  minio: imageReference(IMAGES.minio),
}

/**
 * The api and web images under a second version tag: an upgrade to it changes both
 * Deployments' images, exactly as a new release does (the program inside stays the same).
 */
export const NEXT_VERSION = `${HELPDESK_VERSION}-next`
export const NEXT_IMAGES = {
  [PRODUCT_IMAGES.api]: imageReference(IMAGES.api, NEXT_VERSION),
  [PRODUCT_IMAGES.web]: imageReference(IMAGES.web, NEXT_VERSION),
}

export const CLUSTER_IMAGES = [
  ...Object.values(PRODUCT_IMAGES),
  ...Object.values(STAND_INS),
  ...Object.values(NEXT_IMAGES),
]
