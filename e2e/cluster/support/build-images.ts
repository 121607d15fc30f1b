// `make cluster-images`: the stand-in images the cluster tier needs besides `make images` —
// the node's add-ons and the third-party images of the charts — and a second version tag of
// the api and web images for the upgrade test. Each is rebuilt only when its recipe changed.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { ADDON_IMAGES, repoRoot } from '@helpdesk/harness'
import { NEXT_IMAGES, STAND_INS } from './images.ts'

const roles = Object.entries({ ...ADDON_IMAGES, ...STAND_INS }).map(
  ([role, image]) => `${role}=${image}`,
)
execFileSync(path.join(repoRoot, 'images/scripts/build-stand-ins.sh'), roles, { stdio: 'inherit' })
for (const [image, next] of Object.entries(NEXT_IMAGES)) {
  execFileSync('podman', ['tag', image, next], { stdio: 'inherit' })
}
