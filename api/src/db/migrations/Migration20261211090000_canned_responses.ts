import { Migration } from '@mikro-orm/migrations'

/**
 * Canned responses (src/canned-responses): shared ones (no owner) and each person's own. A
 * shortcut is unique among the shared ones and among one person's own; a personal one may
 * share a shared one's shortcut (the composer offers both).
 */
export class Migration20261211090000_canned_responses extends Migration {
  override name = 'Migration20261211090000_canned_responses'

  override up(): void {
    this.addSql(`create table canned_responses (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid references users (id) on delete cascade,
      shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
      title text not null,
      body text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`)
    this.addSql(
      'create unique index canned_responses_shortcut_idx on canned_responses (owner_id, shortcut) nulls not distinct',
    )
  }

  override down(): void {
    this.addSql('drop table canned_responses')
  }
}
