import { Migration } from '@mikro-orm/migrations'

/**
 * Notifications (src/notifications/): each person's choices, and the queue of what happened
 * that they are to hear about — written in the transaction of the change, combined per
 * person within a short window, then sent as one mail through the outbox.
 */
export class Migration20261210090100_notifications extends Migration {
  override name = 'Migration20261210090100_notifications'

  override up(): void {
    this.addSql(`create table notification_preferences (
      user_id uuid primary key references users (id) on delete cascade,
      settings jsonb not null default '{}',
      unsubscribe_token text not null unique,
      updated_at timestamptz not null default now()
    )`)
    this.addSql(`create table notification_queue (
      id bigint generated always as identity primary key,
      recipient_id uuid not null references users (id) on delete cascade,
      ticket_id uuid not null references tickets (id) on delete cascade,
      event text not null,
      actor_id uuid references users (id) on delete set null,
      message_id uuid references messages (id) on delete cascade,
      details jsonb not null default '{}',
      created_at timestamptz not null default now(),
      deliver_after timestamptz not null
    )`)
    // The delivery job looks for people with something due; new events join a person's batch.
    this.addSql('create index notification_queue_due_idx on notification_queue (deliver_after)')
    this.addSql(
      'create index notification_queue_recipient_idx on notification_queue (recipient_id, id)',
    )
  }

  override down(): void {
    this.addSql('drop table notification_queue')
    this.addSql('drop table notification_preferences')
  }
}
