import { Migration } from '@mikro-orm/migrations'

/**
 * Tickets, their messages, attachments and events, and the SLA targets per priority.
 *
 * Search: `tickets.search` is one weighted tsvector kept by the database — the subject (A),
 * public message bodies (B) and internal notes (D) — behind a GIN index. Customers' searches
 * look at A and B only, so an internal note can never make a customer's ticket match.
 *
 * Every filter and sort of `GET /tickets` has an index (see src/tickets/queries.ts); the
 * EXPLAIN test (test/tickets/explain.test.ts) proves no list query reads the table whole.
 */
export class Migration20261128100000_tickets extends Migration {
  override name = 'Migration20261128100000_tickets'

  override up(): void {
    this.slaPolicies()
    this.tickets()
    this.messages()
    this.attachmentsAndEvents()
    this.searchTriggers()
  }

  private slaPolicies(): void {
    this.addSql(`create table sla_policies (
      priority text primary key check (priority in ('low', 'normal', 'high', 'urgent')),
      first_response_minutes integer not null check (first_response_minutes between 1 and 525600),
      resolution_minutes integer not null check (resolution_minutes between 1 and 525600),
      updated_at timestamptz not null default now()
    )`)
    this.addSql(`insert into sla_policies (priority, first_response_minutes, resolution_minutes)
      values ('urgent', 60, 240), ('high', 240, 1440), ('normal', 480, 2880), ('low', 1440, 5760)`)
  }

  private tickets(): void {
    this.addSql(`create table tickets (
      id uuid primary key default gen_random_uuid(),
      number integer generated always as identity unique,
      subject text not null check (length(subject) between 1 and 200),
      status text not null default 'new'
        check (status in ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
      priority text not null default 'normal'
        check (priority in ('low', 'normal', 'high', 'urgent')),
      priority_rank smallint not null generated always as (
        case priority when 'low' then 0 when 'normal' then 1 when 'high' then 2 else 3 end) stored,
      requester_id uuid not null references users (id),
      assignee_id uuid references users (id),
      team_id uuid references teams (id) on delete set null,
      tags text[] not null default '{}' check (cardinality(tags) <= 30),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      first_responded_at timestamptz,
      sla_paused_ms bigint not null default 0 check (sla_paused_ms >= 0),
      sla_paused_since timestamptz,
      first_response_due_at timestamptz,
      resolution_due_at timestamptz,
      due_at timestamptz not null generated always as (
        coalesce(least(first_response_due_at, resolution_due_at), 'infinity')) stored,
      sla_breached boolean not null default false,
      search tsvector not null default ''
    )`)
    // Sorts (keyset: the sort columns, then id) and the filters an agent combines with them.
    // `due_at` is the sooner due time, 'infinity' when none runs: keyset needs no nulls.
    for (const [name, columns] of [
      ['tickets_updated_idx', 'updated_at, id'],
      ['tickets_created_idx', 'created_at, id'],
      ['tickets_priority_idx', 'priority_rank, created_at, id'],
      ['tickets_due_idx', 'due_at, id'],
      ['tickets_status_idx', 'status, updated_at, id'],
      ['tickets_requester_idx', 'requester_id, updated_at, id'],
      ['tickets_assignee_idx', 'assignee_id, updated_at, id'],
      ['tickets_team_idx', 'team_id, updated_at, id'],
    ]) {
      this.addSql(`create index ${name} on tickets (${columns})`)
    }
    this.addSql('create index tickets_tags_idx on tickets using gin (tags)')
    this.addSql('create index tickets_search_idx on tickets using gin (search)')
    // What the SLA breach job looks for: due times passed and not flagged yet.
    this.addSql(
      `create index tickets_sla_watch_idx on tickets (due_at)
       where not sla_breached and due_at < 'infinity'`,
    )
  }

  private messages(): void {
    // Deferrable so that a bulk load (helpdesk seed) can write a batch's messages before
    // their tickets: each ticket row is then written once, with its search text complete.
    this.addSql(`create table messages (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets (id) on delete cascade deferrable,
      author_id uuid not null references users (id),
      body text not null check (length(body) between 1 and 100000),
      internal boolean not null default false,
      created_at timestamptz not null default now()
    )`)
    this.addSql('create index messages_ticket_idx on messages (ticket_id, created_at, id)')
    this.addSql('create index messages_author_idx on messages (author_id)')
  }

  private attachmentsAndEvents(): void {
    this.addSql(`create table attachments (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets (id) on delete cascade,
      message_id uuid references messages (id) on delete set null,
      uploader_id uuid not null references users (id),
      filename text not null check (length(filename) between 1 and 255),
      content_type text not null,
      size bigint not null check (size >= 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      storage_key text unique,
      created_at timestamptz not null default now(),
      erased_at timestamptz,
      check ((storage_key is null) = (erased_at is not null))
    )`)
    this.addSql('create index attachments_ticket_idx on attachments (ticket_id, created_at)')
    this.addSql('create index attachments_message_idx on attachments (message_id)')
    this.addSql('create index attachments_uploader_idx on attachments (uploader_id)')

    this.addSql(`create table ticket_events (
      id bigint generated always as identity primary key,
      ticket_id uuid not null references tickets (id) on delete cascade,
      actor_id uuid references users (id),
      action text not null,
      changes jsonb not null default '{}',
      internal boolean not null default false,
      at timestamptz not null default now()
    )`)
    this.addSql('create index ticket_events_ticket_idx on ticket_events (ticket_id, id)')
    this.addSql('create index ticket_events_actor_idx on ticket_events (actor_id)')
  }

  private searchTriggers(): void {
    // Subject (A), public bodies (B), internal notes (D).
    this.addSql(`create function search_document(subject text, public_text text, internal_text text)
      returns tsvector language sql immutable parallel safe as $$
        select setweight(to_tsvector('english', coalesce(subject, '')), 'A')
          || setweight(to_tsvector('english', coalesce(public_text, '')), 'B')
          || setweight(to_tsvector('english', coalesce(internal_text, '')), 'D')
      $$`)
    // The whole document of a ticket, from its subject and every message so far (in a bulk
    // load the messages are written before their ticket; in the normal flow there are none).
    // A tsvector holds at most 1 MB: text beyond that stays unsearchable rather than failing
    // the write that brought it (program_limit_exceeded).
    this.addSql(`create function tickets_search_refresh() returns trigger language plpgsql as $$
      begin
        new.search := (
          select search_document(new.subject,
            string_agg(body, ' ') filter (where not internal),
            string_agg(body, ' ') filter (where internal))
          from messages where ticket_id = new.id);
        return new;
      exception when program_limit_exceeded then
        new.search := search_document(new.subject, null, null);
        return new;
      end $$`)
    this.addSql(`create trigger tickets_search_refresh
      before insert or update of subject on tickets
      for each row execute function tickets_search_refresh()`)
    // New messages extend their tickets' documents: once per statement, so a bulk insert
    // costs one update per ticket, not one per message.
    this.addSql(`create function messages_search_append() returns trigger language plpgsql as $$
      begin
        update tickets t set search = t.search || added.document
        from (select ticket_id, search_document(null,
                string_agg(body, ' ') filter (where not internal),
                string_agg(body, ' ') filter (where internal)) as document
              from new_messages m
              -- A bulk load writes messages before their tickets: nothing to extend yet.
              where exists (select from tickets where id = m.ticket_id)
              group by ticket_id) added
        where t.id = added.ticket_id;
        return null;
      exception when program_limit_exceeded then
        return null;
      end $$`)
    this.addSql(`create trigger messages_search_append
      after insert on messages referencing new table as new_messages
      for each statement execute function messages_search_append()`)
  }

  override down(): void {
    this.addSql('drop table ticket_events, attachments, messages, tickets, sla_policies')
    this.addSql('drop function messages_search_append, tickets_search_refresh, search_document')
  }
}
