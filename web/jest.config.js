import { jestConfig } from '@helpdesk/harness/jest'

// Component tests opt into jsdom per file (@jest-environment jsdom); the nginx and build
// tests run in node against real processes.
export default jestConfig({
  moduleNameMapper: { '\\.css$': '<rootDir>/test/support/empty.js' },
})
