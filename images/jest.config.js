import { jestConfig } from '@helpdesk/harness/jest'

// Containers start in seconds, not milliseconds: a cold Node process on a vfs-backed root
// filesystem, plus migrations, takes most of a minute on two busy cores.
export default jestConfig({
  services: ['postgres', 'redis', 's3', 'kubernetes'],
  testTimeout: 180_000,
})
