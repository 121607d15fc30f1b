import { fileURLToPath } from 'node:url'
import type { Config } from 'jest'
import type { ServiceName, ServiceOptions } from '../services.ts'

export interface HelpdeskJestOptions extends Config {
  /** Shared real services started once for the package's test run. */
  services?: ServiceName[]
  /** Settings of those services. */
  serviceOptions?: ServiceOptions
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

/** The one jest configuration every workspace extends: ESM TypeScript through SWC. */
export function jestConfig({
  services = [],
  serviceOptions = {},
  ...overrides
}: HelpdeskJestOptions = {}): Config {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts', '.tsx'],
    transform: {
      '^.+\\.tsx?$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', tsx: true },
            target: 'es2024',
            transform: { react: { runtime: 'automatic' } },
            // `import … with { type: 'json' }` must reach Jest's loader as written.
            experimental: { keepImportAttributes: true },
          },
          module: { type: 'es6' },
        },
      ],
    },
    testMatch: ['<rootDir>/**/*.test.ts', '<rootDir>/**/*.test.tsx'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    // A bound for hangs, not a speed target: on a shared, loaded 2-core machine starting and
    // migrating a real database can take a minute on its own (tests never assert durations).
    testTimeout: 180_000,
    globalSetup: here('./global-setup.ts'),
    globalTeardown: here('./global-teardown.ts'),
    testEnvironmentOptions: { helpdeskServices: services, helpdeskServiceOptions: serviceOptions },
    ...overrides,
  }
}
