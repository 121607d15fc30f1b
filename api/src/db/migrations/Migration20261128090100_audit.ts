import { Migration } from '@mikro-orm/migrations'

/**
 * The audit log, append-only twice over: the application's role loses UPDATE, DELETE and
 * TRUNCATE on the table (privileges, which bind everyone but superusers), and a trigger
 * refuses those statements for every role, superusers included. Rows never reference users
 * by foreign key: erasure keeps the row, and names are joined in when read.
 */
export class Migration20261128090100_audit extends Migration {
  override name = 'Migration20261128090100_audit'

  override up(): void {
    this.addSql(`create table audit_events (
      id uuid primary key default gen_random_uuid(),
      at timestamptz not null default clock_timestamp(),
      actor_id uuid,
      action text not null check (action ~ '^[a-z_]+(\\.[a-z_]+)+$'),
      target_type text,
      target_id text,
      ip text,
      user_agent text,
      details jsonb not null default '{}'::jsonb
    )`)
    // Newest first, optionally by actor or action (the admin's filters), keyset on (at, id).
    this.addSql('create index audit_events_at_idx on audit_events (at desc, id desc)')
    this.addSql('create index audit_events_actor_idx on audit_events (actor_id, at desc, id desc)')
    this.addSql('create index audit_events_action_idx on audit_events (action, at desc, id desc)')
    this.addSql('create index audit_events_target_idx on audit_events (target_type, target_id)')
    this.addSql(`create function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_events is append-only: % refused', tg_op
          using errcode = 'insufficient_privilege';
      end $$`)
    this.addSql(`create trigger audit_events_no_change before update or delete on audit_events
      for each row execute function audit_events_append_only()`)
    this.addSql(`create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only()`)
    this.addSql('revoke update, delete, truncate on audit_events from public')
    // The table's owner is the role running migrations, usually the application's own.
    this.addSql('revoke update, delete, truncate on audit_events from current_user')
  }

  override down(): void {
    this.addSql('drop table audit_events')
    this.addSql('drop function audit_events_append_only()')
  }
}
