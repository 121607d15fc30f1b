import { jestConfig } from '@helpdesk/harness/jest'
import { CLUSTER_IMAGES } from './support/images.ts'

// One node for the whole tier: files run one after the other, each in namespaces of its own,
// and remove their releases when done so the next file has the node's two CPUs. The teardown
// tests (teardown/) start clusters of their own and run before, with their own configuration.
export default jestConfig({
  services: ['cluster'],
  serviceOptions: { cluster: { images: CLUSTER_IMAGES } },
  maxWorkers: 1,
  testTimeout: 20 * 60_000,
  testPathIgnorePatterns: ['/node_modules/', '/teardown/'],
})
