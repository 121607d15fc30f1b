import { Migration } from '@mikro-orm/migrations'

/**
 * The first answer to each `Idempotency-Key`, per user, for a day (routes/idempotency.ts):
 * a retried create gets it again instead of creating twice.
 */
export class Migration20261206090000_idempotency extends Migration {
  override name = 'Migration20261206090000_idempotency'

  override up(): void {
    this.addSql(`create table idempotency_keys (
      user_id uuid not null,
      key text not null,
      request_hash text not null,
      status smallint not null,
      headers jsonb not null,
      body jsonb,
      created_at timestamptz not null default now(),
      primary key (user_id, key)
    )`)
    this.addSql('create index idempotency_keys_created_idx on idempotency_keys (created_at)')
  }

  override down(): void {
    this.addSql('drop table idempotency_keys')
  }
}
