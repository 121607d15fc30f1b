import { Migration } from '@mikro-orm/migrations'

/** The background job queue (src/jobs/queue.ts): workers claim rows with SKIP LOCKED. */
export class Migration20261128093000_jobs extends Migration {
  override name = 'Migration20261128093000_jobs'

  override up(): void {
    this.addSql(`create table jobs (
      id bigint generated always as identity primary key,
      kind text not null check (kind <> ''),
      key text unique,
      payload jsonb not null default '{}',
      run_at timestamptz not null default now(),
      every_seconds integer check (every_seconds > 0),
      attempts integer not null default 0,
      last_error text,
      failed_at timestamptz,
      created_at timestamptz not null default now()
    )`)
    // What workers poll: due jobs that have not given up, oldest first.
    this.addSql('create index jobs_due on jobs (run_at) where failed_at is null')
  }

  override down(): void {
    this.addSql('drop table jobs')
  }
}
