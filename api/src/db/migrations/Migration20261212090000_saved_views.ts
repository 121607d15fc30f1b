import { Migration } from '@mikro-orm/migrations'

/**
 * Saved views (src/saved-views): ticket-list queries each person keeps under a name. Names are
 * unique per person regardless of case, so `Urgent` and `urgent` cannot both be listed.
 */
export class Migration20261212090000_saved_views extends Migration {
  override name = 'Migration20261212090000_saved_views'

  override up(): void {
    this.addSql(`create table saved_views (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 80),
      query text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`)
    this.addSql('create unique index saved_views_name_idx on saved_views (user_id, lower(name))')
  }

  override down(): void {
    this.addSql('drop table saved_views')
  }
}
