import { jestConfig } from '@helpdesk/harness/jest'

// Each journey file runs its own stack (API process with a Redis of its own, nginx, Chromium)
// on the shared Postgres and MinIO; one file at a time keeps a 2-core machine responsive.
export default jestConfig({
  services: ['postgres', 's3'],
  maxWorkers: 1,
  testTimeout: 180_000,
})
