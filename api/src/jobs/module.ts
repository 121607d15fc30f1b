import { Migration20261128093000_jobs } from '../db/migrations/Migration20261128093000_jobs.ts'
import type { HelpdeskModule } from '../platform/module.ts'

/** The job queue's table; the jobs themselves come from the modules that need them. */
export const jobsModule: HelpdeskModule = {
  name: 'jobs',
  migrations: [{ name: 'Migration20261128093000_jobs', class: Migration20261128093000_jobs }],
}
