import { Migration } from '@mikro-orm/migrations'

/**
 * Outgoing mail (src/mail/): the outbox, written in the transaction of the change that causes
 * a mail and sent by the job queue, and each ticket's mail thread — the unguessable token of
 * its reply address and the Message-IDs its mails refer to.
 */
export class Migration20261210090000_mail extends Migration {
  override name = 'Migration20261210090000_mail'

  override up(): void {
    this.addSql(`create table outbound_mail (
      id uuid primary key default gen_random_uuid(),
      message_id text not null unique,
      kind text not null,
      from_address text not null,
      from_name text not null,
      recipient text not null,
      recipient_id uuid references users (id) on delete set null,
      ticket_id uuid references tickets (id) on delete set null,
      reply_to text,
      subject text not null,
      text_body text not null,
      html_body text not null,
      headers jsonb not null default '{}',
      status text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'held')),
      attempts integer not null default 0,
      last_error text,
      next_attempt_at timestamptz,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`)
    // Admin → Email lists the outbox newest first, all of it or one status (dead letters).
    this.addSql('create index outbound_mail_created_idx on outbound_mail (created_at, id)')
    this.addSql('create index outbound_mail_status_idx on outbound_mail (status, created_at, id)')
    this.addSql('create index outbound_mail_recipient_idx on outbound_mail (recipient_id)')
    this.addSql('create index outbound_mail_ticket_idx on outbound_mail (ticket_id)')
    this.addSql(`create table mail_threads (
      ticket_id uuid primary key references tickets (id) on delete cascade,
      reply_token text not null unique,
      root_message_id text not null,
      last_inbound_message_id text,
      channel_id uuid
    )`)
  }

  override down(): void {
    this.addSql('drop table mail_threads')
    this.addSql('drop table outbound_mail')
  }
}
