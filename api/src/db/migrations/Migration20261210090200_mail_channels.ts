import { Migration } from '@mikro-orm/migrations'

/**
 * Incoming mail (src/channels/): the IMAP mailboxes read into tickets, with where each one's
 * reading stands (UID, lease of the replica reading it, last poll and error), and one row per
 * Message-ID ever read — the unique key that makes every mail count once, however often it
 * is delivered and however many replicas read. Messages remember that they came by mail, the
 * whole text (quoted history included) and the sanitized HTML.
 */
export class Migration20261210090200_mail_channels extends Migration {
  override name = 'Migration20261210090200_mail_channels'

  override up(): void {
    this.addSql(`create table mail_channels (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      address text not null unique,
      team_id uuid references teams (id) on delete set null,
      host text not null,
      port integer not null check (port between 1 and 65535),
      security text not null check (security in ('tls', 'starttls', 'none')),
      username text not null,
      password_sealed text,
      mailbox text not null default 'INBOX',
      mode text not null default 'idle' check (mode in ('idle', 'poll')),
      poll_seconds integer not null default 60 check (poll_seconds between 5 and 3600),
      enabled boolean not null default true,
      source text not null default 'admin' check (source in ('admin', 'configuration')),
      uid_validity bigint,
      last_uid bigint not null default 0,
      lease_owner text,
      lease_until timestamptz,
      last_poll_at timestamptz,
      last_status text check (last_status in ('ok', 'error')),
      last_error text,
      last_error_at timestamptz,
      messages_read bigint not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`)
    this.addSql(`create table inbound_messages (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid references mail_channels (id) on delete set null,
      message_id text not null unique,
      from_address text not null,
      subject text not null,
      outcome text not null check (outcome in ('created', 'replied', 'ignored')),
      reason text,
      ticket_id uuid references tickets (id) on delete set null,
      ticket_message_id uuid references messages (id) on delete set null,
      received_at timestamptz not null default now()
    )`)
    this.addSql(
      'create index inbound_messages_channel_idx on inbound_messages (channel_id, received_at)',
    )
    // The loop breaker counts a sender's recent mails.
    this.addSql(
      'create index inbound_messages_sender_idx on inbound_messages (from_address, received_at)',
    )
    this.addSql(`alter table messages
      add column via text not null default 'web' check (via in ('web', 'email')),
      add column full_body text,
      add column html_body text`)
  }

  override down(): void {
    this.addSql(
      'alter table messages drop column via, drop column full_body, drop column html_body',
    )
    this.addSql('drop table inbound_messages')
    this.addSql('drop table mail_channels')
  }
}
