import { jestConfig } from '@helpdesk/harness/jest'

// No shared services: each test starts (and kills) a cluster of its own, one at a time.
export default jestConfig({ maxWorkers: 1, testTimeout: 15 * 60_000 })
